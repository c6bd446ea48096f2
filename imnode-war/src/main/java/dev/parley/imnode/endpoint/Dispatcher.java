package dev.parley.imnode.endpoint;

import dev.parley.common.protocol.ClientFrame;
import dev.parley.common.protocol.ClientFrames;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.FrameRejected;
import dev.parley.common.protocol.ParleyException;
import dev.parley.common.protocol.ServerFrames;
import dev.parley.common.protocol.UserView;
import dev.parley.imnode.connection.Connection;
import dev.parley.imnode.connection.FrameBudget;
import dev.parley.imnode.message.Conversations;
import dev.parley.imnode.message.Messaging;
import dev.parley.imnode.room.Rooms;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * Decodes a frame, calls the feature it names and answers: exactly one {@code ack} or {@code error}
 * per request, at once or, for a send, once it is stored. No exception leaves this class;
 * unexpected ones are logged and answered as {@code INTERNAL} without details.
 */
@ApplicationScoped
public class Dispatcher {

  private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());

  @Inject Rooms rooms;
  @Inject Messaging messaging;
  @Inject Conversations conversations;
  @Inject TokenRenewal renewal;

  public void dispatch(Connection connection, String text) {
    Optional<String> requestId = Optional.empty();
    try {
      ClientFrame frame = ClientFrames.decode(text);
      requestId = frame.requestId();
      FrameBudget.Verdict verdict = connection.admitFrame();
      if (verdict == FrameBudget.Verdict.FLOOD) {
        connection.close(Connection.CLOSE_FLOOD, "Too many requests");
        return;
      }
      if (verdict == FrameBudget.Verdict.LIMITED) {
        throw new ParleyException(ErrorCode.RATE_LIMITED, "Slow down: too many frames");
      }
      handle(connection, frame);
    } catch (FrameRejected e) {
      connection.sendNow(ServerFrames.error(e.requestId().orElse(null), e.code(), e.getMessage()));
    } catch (RuntimeException e) {
      refuse(connection, requestId.orElse(null), e);
    }
  }

  /** The error frame for a request that failed, now or later (a send's storing). */
  private static void refuse(Connection connection, String requestId, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof ParleyException e) {
      connection.sendNow(ServerFrames.error(requestId, e.code(), e.getMessage()));
    } else {
      LOG.log(Level.ERROR, "request failed on connection " + connection.id(), cause);
      connection.sendNow(
          ServerFrames.error(requestId, ErrorCode.INTERNAL, ErrorCode.INTERNAL.defaultMessage()));
    }
  }

  private void handle(Connection c, ClientFrame frame) {
    UserView user = c.user();
    if (frame instanceof ClientFrame.Ping) {
      c.sendNow(ServerFrames.pong());
    } else if (frame instanceof ClientFrame.Typing t) {
      messaging.typing(c, t.conversation());
    } else if (frame instanceof ClientFrame.AuthRenew r) {
      ack(c, r.id(), renewal.renew(c, r.token()));
    } else if (frame instanceof ClientFrame.RoomCreate r) {
      JsonObject room = rooms.create(user, r.name(), c.id()).toJson();
      ack(c, r.id(), ServerFrames.object().add("room", room).build());
    } else if (frame instanceof ClientFrame.RoomJoin r) {
      ack(c, r.id(), rooms.join(user, r.room(), c.id()));
    } else if (frame instanceof ClientFrame.RoomLeave r) {
      rooms.leave(user, r.room(), c.id());
      c.sendNow(ServerFrames.ack(r.id()));
    } else if (frame instanceof ClientFrame.RoomList r) {
      ack(c, r.id(), rooms.directory(user));
    } else if (frame instanceof ClientFrame.RoomMembers r) {
      ack(c, r.id(), rooms.memberList(r.room(), r.after(), r.limit()));
    } else if (frame instanceof ClientFrame.MessageSend m) {
      // Answered when the message is stored, after frames handled meanwhile may have been.
      messaging
          .send(c, m)
          .whenComplete(
              (result, failure) -> {
                if (failure == null) {
                  ack(c, m.id(), result);
                } else {
                  refuse(c, m.id(), failure);
                }
              });
    } else if (frame instanceof ClientFrame.History h) {
      ack(c, h.id(), messaging.history(user, h));
    } else if (frame instanceof ClientFrame.Sync s) {
      Conversations.Catchup catchup = conversations.sync(user, s);
      catchup.frames().forEach(c::send);
      ack(c, s.id(), catchup.result());
    } else if (frame instanceof ClientFrame.ConversationList l) {
      ack(c, l.id(), conversations.list(user));
    } else if (frame instanceof ClientFrame.Read r) {
      conversations.read(user, r, c.id());
      c.sendNow(ServerFrames.ack(r.id()));
    }
  }

  private static void ack(Connection c, String id, JsonObject result) {
    c.sendNow(ServerFrames.ack(id, result));
  }
}
