package dev.parley.imnode.message;

import dev.parley.common.file.StoredFile;
import dev.parley.common.message.Message;
import dev.parley.common.message.MessageStore;
import dev.parley.common.protocol.ClientFrame;
import dev.parley.common.protocol.Conversation;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.MessageView;
import dev.parley.common.protocol.ParleyException;
import dev.parley.common.protocol.ServerFrames;
import dev.parley.common.protocol.UserView;
import dev.parley.common.user.User;
import dev.parley.common.user.UserStore;
import dev.parley.imnode.filter.WordFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import jakarta.transaction.TransactionalException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sending and reading messages. A send is acknowledged only after its message is stored; a retried
 * send (same user, same request id) gets the ack of the stored message and stores nothing, and the
 * message is announced again: the original's push may have been lost with its node (stored, then
 * killed or drained before publishing), and receivers de-duplicate by seq.
 */
@ApplicationScoped
public class Messaging {

  @Inject MessageStore store;
  @Inject UserStore users;
  @Inject ConversationAccess access;
  @Inject WordFilter filter;
  @Inject Attachments attachments;
  @Inject Event<MessageAccepted> accepted;
  @Inject Event<TypingStarted> typing;

  @Inject
  @ConfigProperty(name = "parley.imnode.message.max-body", defaultValue = "4000")
  int maxBody;

  /**
   * Stores and announces a message; the ack result {@code {conversation, seq, messageId, sentAt}}.
   * One transaction for the checks and the append (one pooled connection per send, not four); the
   * announcement goes out after it commits.
   */
  @Transactional
  public JsonObject send(UserView sender, ClientFrame.MessageSend send, String originConnection) {
    Optional<Message> earlier = store.findByClientId(sender.id(), send.id());
    if (earlier.isPresent()) {
      return announceAgain(earlier.get(), sender, originConnection);
    }
    Conversation conversation = conversationOf(sender, send);
    access.requireMember(sender.id(), conversation);
    Optional<StoredFile> attached = attachments.attachedTo(sender.id(), send);
    if (send.body().length() > maxBody) {
      throw new ParleyException(
          ErrorCode.MESSAGE_REJECTED, "A message body may have at most " + maxBody + " characters");
    }
    if (!conversation.isRoom()) {
      openDirect(conversation);
    }
    MessageStore.Appended appended;
    try {
      appended =
          store.append(
              conversation,
              sender.id(),
              send.id(),
              send.kind(),
              filter.apply(send.body()),
              attached.map(StoredFile::id));
    } catch (PersistenceException | TransactionalException e) {
      // The same send arrived twice at once (a retry racing the original): one of them won.
      return store
          .findByClientId(sender.id(), send.id())
          .map(m -> announceAgain(m, sender, originConnection))
          .orElseThrow(() -> e);
    }
    if (!appended.isNew()) {
      return announceAgain(appended.message(), sender, originConnection);
    }
    accepted.fire(
        new MessageAccepted(
            view(appended.message(), sender, attached.map(attachments::describe).orElse(null)),
            originConnection));
    return ackResult(appended.message());
  }

  private JsonObject announceAgain(Message stored, UserView sender, String originConnection) {
    accepted.fire(
        new MessageAccepted(view(stored, sender, attachments.describe(stored)), originConnection));
    return ackResult(stored);
  }

  /** The ack result of {@code history}: {@code {messages:[…ascending], more}}. */
  public JsonObject history(UserView reader, ClientFrame.History history) {
    access.requireMember(reader.id(), history.conversation());
    List<Message> page =
        store.history(history.conversation(), history.before(), history.limit() + 1);
    boolean more = page.size() > history.limit();
    List<Message> shown = more ? page.subList(1, page.size()) : page;
    Map<Long, UserView> senders = new HashMap<>();
    users
        .findAll(shown.stream().map(Message::senderId).distinct().toList())
        .forEach(u -> senders.put(u.id(), u.view()));
    JsonArrayBuilder messages = ServerFrames.array();
    for (Message m : shown) {
      UserView from =
          senders.getOrDefault(m.senderId(), new UserView(m.senderId(), "unknown", "unknown"));
      messages.add(view(m, from, attachments.describe(m)).toJson());
    }
    return ServerFrames.object().add("messages", messages).add("more", more).build();
  }

  /** Tells the other members that {@code user} is typing; silently ignored for non-members. */
  public void typing(UserView user, Conversation conversation, String originConnection) {
    try {
      access.requireMember(user.id(), conversation);
    } catch (ParleyException e) {
      return;
    }
    typing.fire(new TypingStarted(conversation, user, originConnection));
  }

  private Conversation conversationOf(UserView sender, ClientFrame.MessageSend send) {
    if (send.room().isPresent()) {
      return Conversation.ofRoom(send.room().get());
    }
    long other = send.user().orElseThrow();
    if (other == sender.id()) {
      throw new ParleyException(ErrorCode.INVALID_FIELD, "A direct message needs another user");
    }
    User target =
        users
            .find(other)
            .orElseThrow(() -> new ParleyException(ErrorCode.USER_NOT_FOUND, "No user " + other));
    return Conversation.ofDirect(sender.id(), target.id());
  }

  private void openDirect(Conversation conversation) {
    if (store.isOpen(conversation)) {
      return;
    }
    try {
      // Committed on its own: a concurrent first message may win, and that must not roll back
      // this send's transaction.
      store.openConversationNow(conversation);
    } catch (PersistenceException | TransactionalException e) {
      // Opened by a concurrent first message: the counter exists, which is all that matters.
    }
  }

  static MessageView view(Message m, UserView from, jakarta.json.JsonObject file) {
    return new MessageView(
        m.conversation(),
        m.seq(),
        m.id(),
        from,
        m.kind(),
        m.body(),
        m.sentAt(),
        m.clientId(),
        file);
  }

  private static JsonObject ackResult(Message m) {
    return ServerFrames.object()
        .add("conversation", m.conversation().id())
        .add("seq", m.seq())
        .add("messageId", m.id())
        .add("sentAt", m.sentAt().toString())
        .build();
  }
}
