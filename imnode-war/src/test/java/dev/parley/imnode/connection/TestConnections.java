package dev.parley.imnode.connection;

import dev.parley.common.protocol.UserView;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.time.Instant;

/**
 * Connections over a session that is open and writes nowhere: for tests of what opening and closing
 * a connection sets off (its set-up, its presence), not of the socket.
 */
public final class TestConnections {

  private TestConnections() {}

  /** Opens a connection of user {@code userId} (named {@code u<id>}) on session {@code id}. */
  public static Connection open(Connections connections, String id, long userId) {
    Session session =
        (Session)
            Proxy.newProxyInstance(
                Session.class.getClassLoader(),
                new Class<?>[] {Session.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "getId" -> id;
                      case "isOpen" -> true;
                      case "hashCode" -> id.hashCode();
                      case "equals" -> proxy == args[0];
                      default -> null;
                    });
    return connections.open(
        session, new UserView(userId, "u" + userId, "U" + userId), Instant.MAX, "{}");
  }
}
