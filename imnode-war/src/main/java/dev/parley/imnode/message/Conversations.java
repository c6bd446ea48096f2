package dev.parley.imnode.message;

import dev.parley.common.message.DirectConversation;
import dev.parley.common.message.Message;
import dev.parley.common.message.MessageStore;
import dev.parley.common.protocol.ClientFrame;
import dev.parley.common.protocol.Conversation;
import dev.parley.common.protocol.MessageView;
import dev.parley.common.protocol.ServerFrames;
import dev.parley.common.protocol.UserView;
import dev.parley.common.room.Room;
import dev.parley.common.room.RoomStore;
import dev.parley.common.user.UserStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.TransactionalException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A user's conversations as a whole: catching up after being away ({@code sync}), the list with
 * unread counts ({@code conversation.list}), and read positions ({@code read}).
 */
@ApplicationScoped
public class Conversations {

  @Inject MessageStore messages;
  @Inject RoomStore rooms;
  @Inject UserStore users;
  @Inject ConversationAccess access;
  @Inject Event<ReadAdvanced> readAdvanced;
  @Inject Attachments attachments;

  /** The most messages one {@code sync} call returns; the client continues from there. */
  @Inject
  @ConfigProperty(name = "parley.imnode.sync.max-messages", defaultValue = "500")
  int maxSyncMessages;

  /** The {@code message} frames a sync sends before its ack, and the ack's result. */
  public record Catchup(List<String> frames, JsonObject result) {}

  /**
   * Every message after the given positions in every conversation of the user, in seq order per
   * conversation, at most {@code parley.imnode.sync.max-messages} in one call. The result's {@code
   * latest} has each conversation's last seq; {@code more} says a further call has more.
   */
  public Catchup sync(UserView user, ClientFrame.Sync sync) {
    JsonObjectBuilder latest = ServerFrames.object();
    List<Message> missedAll = new ArrayList<>();
    boolean more = false;
    List<Conversation> conversations = conversationsOf(user.id());
    Map<Conversation, Long> lasts = messages.lastSeqs(conversations);
    for (Conversation c : conversations) {
      long last = lasts.getOrDefault(c, 0L);
      latest.add(c.id(), last);
      long after = sync.after().getOrDefault(c, 0L);
      if (last <= after) {
        continue;
      }
      int budget = maxSyncMessages - missedAll.size();
      if (budget <= 0) {
        more = true;
        continue;
      }
      List<Message> missed = messages.after(c, after, budget);
      missedAll.addAll(missed);
      if (!missed.isEmpty() && missed.get(missed.size() - 1).seq() < last) {
        more = true;
      }
    }
    Map<Long, UserView> senders = sendersOf(missedAll);
    List<String> frames = new ArrayList<>(missedAll.size());
    for (Message m : missedAll) {
      frames.add(ServerFrames.message(view(m, senders)));
    }
    return new Catchup(
        frames, ServerFrames.object().add("latest", latest).add("more", more).build());
  }

  /** The ack result of {@code conversation.list}, the most recently active first. */
  public JsonObject list(UserView user) {
    record Entry(JsonObjectBuilder json, Optional<Message> last) {}
    List<Entry> entries = new ArrayList<>();
    Map<Conversation, String> names = namesOf(user.id());
    Map<Conversation, Long> lasts = messages.lastSeqs(names.keySet());
    for (Map.Entry<Conversation, String> e : names.entrySet()) {
      Conversation c = e.getKey();
      long last = lasts.getOrDefault(c, 0L);
      long read = Math.min(messages.readSeq(user.id(), c), last);
      JsonObjectBuilder b =
          ServerFrames.object()
              .add("id", c.id())
              .add("name", e.getValue())
              .add("lastSeq", last)
              .add("readSeq", read)
              .add("unread", last - read);
      entries.add(new Entry(b, last == 0 ? Optional.empty() : messages.bySeq(c, last)));
    }
    Map<Long, UserView> senders =
        sendersOf(entries.stream().flatMap(en -> en.last().stream()).toList());
    record Listed(JsonObject json, long lastAt) {}
    List<Listed> listed = new ArrayList<>(entries.size());
    for (Entry en : entries) {
      en.last().ifPresent(m -> en.json().add("lastMessage", view(m, senders).toJson()));
      listed.add(
          new Listed(en.json().build(), en.last().map(m -> m.sentAt().toEpochMilli()).orElse(0L)));
    }
    listed.sort(Comparator.comparingLong(Listed::lastAt).reversed());
    JsonArrayBuilder list = ServerFrames.array();
    listed.forEach(l -> list.add(l.json()));
    return ServerFrames.object().add("conversations", list).build();
  }

  /** Moves the reader's position; other members hear of it when it moved. */
  public void read(UserView reader, ClientFrame.Read read, String originConnection) {
    access.requireMember(reader.id(), read.conversation());
    Optional<Long> moved;
    try {
      moved = messages.markRead(reader.id(), read.conversation(), read.seq());
    } catch (PersistenceException | TransactionalException e) {
      // Two reads of the same user raced to create the position; the second try moves it.
      moved = messages.markRead(reader.id(), read.conversation(), read.seq());
    }
    moved.ifPresent(
        seq ->
            readAdvanced.fire(
                new ReadAdvanced(read.conversation(), reader, seq, originConnection)));
  }

  private List<Conversation> conversationsOf(long userId) {
    List<Conversation> all = new ArrayList<>();
    rooms.roomIdsOf(userId).stream().sorted().forEach(id -> all.add(Conversation.ofRoom(id)));
    messages.directConversationsOf(userId).stream()
        .map(d -> new Conversation(d.conversation()))
        .forEach(all::add);
    return all;
  }

  /** Each conversation of the user with the name a client shows for it. */
  private Map<Conversation, String> namesOf(long userId) {
    Map<Conversation, String> names = new LinkedHashMap<>();
    for (long roomId : rooms.roomIdsOf(userId)) {
      rooms.find(roomId).map(Room::name).ifPresent(n -> names.put(Conversation.ofRoom(roomId), n));
    }
    List<DirectConversation> direct = messages.directConversationsOf(userId);
    Map<Long, String> nicknames = new HashMap<>();
    users
        .findAll(direct.stream().map(DirectConversation::otherUserId).toList())
        .forEach(u -> nicknames.put(u.id(), u.nickname()));
    for (DirectConversation d : direct) {
      names.put(new Conversation(d.conversation()), nicknames.getOrDefault(d.otherUserId(), "?"));
    }
    return names;
  }

  /** The senders of these messages, read in one query. */
  private Map<Long, UserView> sendersOf(Collection<Message> written) {
    if (written.isEmpty()) {
      return Map.of();
    }
    Map<Long, UserView> senders = new HashMap<>();
    users
        .findAll(written.stream().map(Message::senderId).distinct().toList())
        .forEach(u -> senders.put(u.id(), u.view()));
    return senders;
  }

  private static MessageView view(Message m, Map<Long, UserView> senders) {
    UserView from = senders.get(m.senderId());
    if (from == null) {
      from = new UserView(m.senderId(), "unknown", "unknown");
    }
    return new MessageView(
        m.conversation(), m.seq(), m.id(), from, m.kind(), m.body(), m.sentAt(), m.clientId());
  }
}
