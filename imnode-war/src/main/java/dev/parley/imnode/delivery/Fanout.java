package dev.parley.imnode.delivery;

import dev.parley.common.contact.Circle;
import dev.parley.common.protocol.Conversation;
import dev.parley.common.protocol.ServerFrames;
import dev.parley.common.protocol.UserView;
import dev.parley.imnode.cluster.Push;
import dev.parley.imnode.message.MessageAccepted;
import dev.parley.imnode.message.ReadAdvanced;
import dev.parley.imnode.message.TypingStarted;
import dev.parley.imnode.presence.CameOnline;
import dev.parley.imnode.presence.WentOffline;
import dev.parley.imnode.room.MemberJoined;
import dev.parley.imnode.room.MemberLeft;
import dev.parley.imnode.room.RoomCreated;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Turns what the room and message features announce into pushes for the cluster, encoding each
 * frame once, whatever the number of receivers, and sending it only to the nodes that need it
 * ({@link Routes}).
 */
@ApplicationScoped
public class Fanout {

  @Inject Routes routes;
  @Inject Contacts contacts;

  void messageAccepted(@Observes(during = TransactionPhase.AFTER_SUCCESS) MessageAccepted event) {
    Conversation c = event.message().conversation();
    String frame = ServerFrames.message(event.message());
    if (c.isRoom()) {
      routes.send(Push.toConversation(c.id(), frame, event.originConnection()));
    } else {
      long[] users = c.directUsers().orElseThrow();
      routes.send(Push.toUsers(List.of(users[0], users[1]), frame, event.originConnection()));
    }
  }

  void roomCreated(@Observes(during = TransactionPhase.AFTER_SUCCESS) RoomCreated event) {
    // Everyone hears of the room; the creator's connections also start following it.
    String conversation = Conversation.ofRoom(event.room().id()).id();
    routes.follow(event.creator().id(), conversation);
    routes.send(
        Push.toEveryone(ServerFrames.roomCreated(event.room()))
            .about(conversation, event.originConnection())
            .afterJoining(event.creator().id()));
  }

  /**
   * The joiner's connections start following the room either way; the room's members hear of the
   * join only when the room announces joins (see {@code LargeRooms}), otherwise only the joiner's
   * other connections do.
   */
  void memberJoined(@Observes(during = TransactionPhase.AFTER_SUCCESS) MemberJoined event) {
    String conversation = Conversation.ofRoom(event.room().id()).id();
    routes.follow(event.user().id(), conversation);
    String frame = ServerFrames.memberJoined(event.room(), event.user());
    routes.send(
        audience(
                conversation, event.user().id(), event.announced(), frame, event.originConnection())
            .afterJoining(event.user().id()));
  }

  void memberLeft(@Observes(during = TransactionPhase.AFTER_SUCCESS) MemberLeft event) {
    String conversation = Conversation.ofRoom(event.room().id()).id();
    String frame = ServerFrames.memberLeft(event.room(), event.user());
    routes.send(
        audience(
                conversation, event.user().id(), event.announced(), frame, event.originConnection())
            .thenLeaving(event.user().id()));
    routes.unfollow(event.user().id(), conversation);
  }

  /** The room's followers, or only the user's own connections (still about the conversation). */
  private static Push audience(
      String conversation, long user, boolean wholeRoom, String frame, String origin) {
    return wholeRoom
        ? Push.toConversation(conversation, frame, origin)
        : Push.toUsers(List.of(user), frame, origin).about(conversation, origin);
  }

  void read(@Observes(during = TransactionPhase.AFTER_SUCCESS) ReadAdvanced event) {
    Conversation c = event.conversation();
    String frame = ServerFrames.read(c, event.user(), event.seq());
    if (c.isRoom()) {
      routes.send(Push.toConversation(c.id(), frame, event.originConnection()));
    } else {
      long[] users = c.directUsers().orElseThrow();
      routes.send(Push.toUsers(List.of(users[0], users[1]), frame, event.originConnection()));
    }
  }

  /**
   * Presence goes to everyone who shares a room of at most the announce limit, or a direct
   * conversation, with the user ({@link Contacts}): read with the user's rooms when they came
   * online, read for all users of a round together when they went offline.
   */
  void cameOnline(@Observes CameOnline event) {
    announce(event.user(), true, event.contacts());
  }

  void wentOffline(@Observes WentOffline event) {
    Map<Long, Circle> circles =
        contacts.circlesOf(event.users().stream().map(UserView::id).toList());
    for (UserView user : event.users()) {
      Circle circle = circles.get(user.id());
      if (circle != null) {
        announce(user, false, circle.contacts());
      }
    }
  }

  private void announce(UserView user, boolean online, Collection<Long> contacts) {
    List<Long> audience = contacts.stream().filter(u -> u != user.id()).sorted().toList();
    if (!audience.isEmpty()) {
      routes.send(Push.toUsers(audience, ServerFrames.presence(user, online), null));
    }
  }

  void typing(@Observes(during = TransactionPhase.AFTER_SUCCESS) TypingStarted event) {
    Conversation c = event.conversation();
    String frame = ServerFrames.typing(c, event.user());
    if (c.isRoom()) {
      routes.send(Push.toConversation(c.id(), frame, event.originConnection()));
    } else {
      long[] users = c.directUsers().orElseThrow();
      long other = users[0] == event.user().id() ? users[1] : users[0];
      routes.send(Push.toUsers(List.of(other), frame, event.originConnection()));
    }
  }
}
