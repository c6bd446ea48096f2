package dev.parley.imnode.delivery;

import dev.parley.imnode.connection.Connection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Which local connections follow which conversation. Thread-safe. */
@ApplicationScoped
public class Subscriptions {

  private final Map<String, Set<Connection>> byConversation = new ConcurrentHashMap<>();
  private final Map<Connection, Set<String>> byConnection = new ConcurrentHashMap<>();

  public void subscribe(Connection connection, String conversation) {
    byConversation
        .computeIfAbsent(conversation, k -> ConcurrentHashMap.newKeySet())
        .add(connection);
    byConnection.computeIfAbsent(connection, k -> ConcurrentHashMap.newKeySet()).add(conversation);
  }

  public void unsubscribe(Connection connection, String conversation) {
    removeFrom(conversation, connection);
    Set<String> mine = byConnection.get(connection);
    if (mine != null) {
      mine.remove(conversation);
    }
  }

  /** Drops every subscription of a connection that has closed. */
  public void forget(Connection connection) {
    Set<String> mine = byConnection.remove(connection);
    if (mine != null) {
      mine.forEach(conversation -> removeFrom(conversation, connection));
    }
  }

  public Collection<Connection> subscribers(String conversation) {
    Set<Connection> set = byConversation.get(conversation);
    return set == null ? List.of() : set;
  }

  private void removeFrom(String conversation, Connection connection) {
    byConversation.computeIfPresent(
        conversation,
        (k, set) -> {
          set.remove(connection);
          return set.isEmpty() ? null : set;
        });
  }
}
