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
import dev.parley.common.user.UserStore;
import dev.parley.imnode.connection.Connection;
import dev.parley.imnode.filter.WordFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sending and reading messages. A send is acknowledged only after its message is stored (in a batch
 * with the node's other sends, {@link MessageWriter}); a retried send (same user, same request id)
 * gets the ack of the stored message and stores nothing, and the message is announced again: the
 * original's push may have been lost with its node (stored, then killed or drained before
 * publishing), and receivers de-duplicate by seq.
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
  @Inject MessageWriter writer;

  private static final int OPENED_MAX = 100_000;
  private final Set<String> opened = ConcurrentHashMap.newKeySet();

  @Inject
  @ConfigProperty(name = "parley.imnode.message.max-body", defaultValue = "4000")
  int maxBody;

  /**
   * Checks a send, queues it for storing ({@link MessageWriter}) and, once it is stored, announces
   * it; the result is the ack's {@code {conversation, seq, messageId, sentAt}}. The checks run on
   * the calling thread, the storing and announcing on the writer's.
   *
   * @throws ParleyException when the send is refused ({@code BUSY} included); a refusal that comes
   *     later completes the result exceptionally
   */
  public CompletionStage<JsonObject> send(Connection origin, ClientFrame.MessageSend send) {
    UserView sender = origin.user();
    MessageStore.Draft draft;
    JsonObject file;
    try {
      Conversation conversation = conversationOf(sender, send);
      access.requireMember(origin, conversation);
      Optional<StoredFile> attached = attachments.attachedTo(sender.id(), send);
      if (send.body().length() > maxBody) {
        throw new ParleyException(
            ErrorCode.MESSAGE_REJECTED,
            "A message body may have at most " + maxBody + " characters");
      }
      draft =
          new MessageStore.Draft(
              conversation,
              sender.id(),
              send.id(),
              send.kind(),
              filter.apply(send.body()),
              attached.map(StoredFile::id),
              !conversation.isRoom() && !opened.contains(conversation.id()));
      file = attached.map(attachments::describe).orElse(null);
    } catch (ParleyException refusal) {
      // A retry of a message stored before the sender lost the right to send it (left the room,
      // say) still gets its ack.
      Optional<Message> earlier = store.findByClientId(sender.id(), send.id());
      if (earlier.isPresent()) {
        return CompletableFuture.completedFuture(announceAgain(earlier.get(), sender, origin.id()));
      }
      throw refusal;
    }
    return writer
        .submit(draft)
        .thenApply(
            appended -> {
              if (draft.mayOpen()) {
                remember(draft.conversation());
              }
              if (!appended.isNew()) {
                return announceAgain(appended.message(), sender, origin.id());
              }
              accepted.fire(
                  new MessageAccepted(view(appended.message(), sender, file), origin.id()));
              return ackResult(appended.message());
            });
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
  public void typing(Connection origin, Conversation conversation) {
    try {
      access.requireMember(origin, conversation);
    } catch (ParleyException e) {
      return;
    }
    typing.fire(new TypingStarted(conversation, origin.user(), origin.id()));
  }

  private Conversation conversationOf(UserView sender, ClientFrame.MessageSend send) {
    if (send.room().isPresent()) {
      return Conversation.ofRoom(send.room().get());
    }
    long other = send.user().orElseThrow();
    if (other == sender.id()) {
      throw new ParleyException(ErrorCode.INVALID_FIELD, "A direct message needs another user");
    }
    access.requireUser(other);
    return Conversation.ofDirect(sender.id(), other);
  }

  /** Conversations never close: once one of this node's sends opened a DM, later ones need not. */
  private void remember(Conversation conversation) {
    if (opened.size() >= OPENED_MAX) {
      opened.clear();
    }
    opened.add(conversation.id());
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
