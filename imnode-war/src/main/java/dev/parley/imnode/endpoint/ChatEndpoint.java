package dev.parley.imnode.endpoint;

import dev.parley.common.protocol.ParleyException;
import dev.parley.common.protocol.ServerFrames;
import dev.parley.common.protocol.UserView;
import dev.parley.imnode.connection.Connection;
import dev.parley.imnode.connection.ConnectionClosed;
import dev.parley.imnode.connection.ConnectionOpened;
import dev.parley.imnode.connection.Connections;
import dev.parley.imnode.connection.TokenExpiry;
import dev.parley.imnode.node.NodeIdentity;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The {@code /ws} endpoint. The handshake filter has already checked the token; here a session is
 * welcomed, registered, handed to the dispatcher frame by frame, and forgotten when it closes. One
 * instance serves every connection ({@link SharedEndpoint}): it keeps no state of its own.
 */
@ServerEndpoint(value = "/ws", configurator = SharedEndpoint.class)
public class ChatEndpoint {

  private static final System.Logger LOG = System.getLogger(ChatEndpoint.class.getName());

  @Inject Connections connections;
  @Inject Dispatcher dispatcher;
  @Inject Identities identities;
  @Inject Arrivals arrivals;
  @Inject NodeIdentity node;
  @Inject Event<ConnectionOpened> opened;
  @Inject Event<ConnectionClosed> closed;

  @Inject
  @ConfigProperty(name = "parley.imnode.heartbeat", defaultValue = "PT60S")
  Duration heartbeat;

  @Inject
  @ConfigProperty(name = "parley.imnode.connection.max-frame-bytes", defaultValue = "65536")
  int maxFrameBytes;

  @OnOpen
  public void open(Session session) throws IOException {
    // The servlet path's filter sets the request's principal; the standalone listener's
    // configurator (SharedEndpoint) leaves it in the session's user properties.
    Object holder = session.getUserPrincipal();
    if (!(holder instanceof HandshakePrincipal)) {
      holder = session.getUserProperties().remove(SharedEndpoint.PRINCIPAL);
    }
    if (!(holder instanceof HandshakePrincipal principal)) {
      // Only reachable if the handshake checks were bypassed.
      session.close(new CloseReason(code(TokenExpiry.CLOSE_TOKEN_EXPIRED), "Token required"));
      return;
    }
    try {
      UserView user = identities.userOf(principal.token());
      // No container idle timeout (IdleConnections sweeps instead). The session starts with the
      // container's default, and while it is above zero Tyrus cancels and re-schedules a task on
      // the managed scheduled executor for every frame sent or received (each capturing the EE
      // context through a ServiceLoader lookup): 22 % of a node's CPU in a chat profile.
      session.setMaxIdleTimeout(0);
      session.setMaxTextMessageBufferSize(maxFrameBytes);
      // Held until its subscriptions and presence are in place, so that the welcome comes first
      // and no push for the user's rooms is missed in between.
      Connection connection =
          connections.open(
              session,
              user,
              principal.token().expiresAt(),
              ServerFrames.welcome(user, node.nodeId(), (int) heartbeat.toSeconds()));
      // The user's rooms and contacts, and the connection's presence entry, with the connects of
      // the same moment (one query and a few cluster calls per round).
      Arrivals.Arrival arrival = arrivals.admit(connection);
      opened.fire(new ConnectionOpened(connection, arrival.circle(), arrival.first()));
      connection.release();
    } catch (ParleyException e) {
      session.close(new CloseReason(code(TokenExpiry.CLOSE_TOKEN_EXPIRED), e.getMessage()));
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "could not set up connection " + session.getId(), e);
      connections
          .closed(session.getId())
          .ifPresent(
              c ->
                  closed.fire(
                      new ConnectionClosed(
                          c, CloseReason.CloseCodes.UNEXPECTED_CONDITION.getCode())));
      session.close(
          new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "Try again shortly"));
    }
  }

  @OnMessage
  public void message(String text, Session session) {
    Optional<Connection> connection = connections.find(session.getId());
    if (connection.isPresent()) {
      connection.get().heard(System.nanoTime());
      dispatcher.dispatch(connection.get(), text);
    }
  }

  @OnClose
  public void close(Session session, CloseReason reason) {
    int code =
        reason == null
            ? CloseReason.CloseCodes.CLOSED_ABNORMALLY.getCode()
            : reason.getCloseCode().getCode();
    connections.closed(session.getId()).ifPresent(c -> closed.fire(new ConnectionClosed(c, code)));
  }

  @OnError
  public void error(Session session, Throwable failure) {
    LOG.log(Level.DEBUG, "connection {0}: {1}", session.getId(), String.valueOf(failure));
  }

  private static CloseReason.CloseCode code(int code) {
    return CloseReason.CloseCodes.getCloseCode(code);
  }
}
