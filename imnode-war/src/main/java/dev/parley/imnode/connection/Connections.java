package dev.parley.imnode.connection;

import dev.parley.common.protocol.UserView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The node's registry of open connections, by connection id and by user. Thread-safe. */
@ApplicationScoped
public class Connections {

  @Inject
  @ConfigProperty(name = "parley.imnode.connection.queue-capacity", defaultValue = "1024")
  int queueCapacity;

  /**
   * How many bytes of queued frames one socket write may gather (Tyrus raw frames, see {@code
   * TyrusWire}); 0 sends each frame with the standard {@code sendText}.
   */
  @Inject
  @ConfigProperty(name = "parley.imnode.connection.gather-bytes", defaultValue = "16384")
  int gatherBytes;

  @Inject SlowConsumers slowConsumers;
  @Inject Outbound outbound;

  @Inject
  @ConfigProperty(name = "parley.imnode.rate.frames-per-second", defaultValue = "20")
  double framesPerSecond;

  @Inject
  @ConfigProperty(name = "parley.imnode.rate.burst", defaultValue = "60")
  int burst;

  @Inject
  @ConfigProperty(name = "parley.imnode.rate.max-violations", defaultValue = "30")
  int maxViolations;

  private volatile boolean draining;

  private final Map<String, Connection> byId = new ConcurrentHashMap<>();
  private final Map<Long, Set<Connection>> byUser = new ConcurrentHashMap<>();

  /**
   * Registers a newly opened session, held with {@code greeting} as its first frame: call {@link
   * Connection#release()} once the connection is fully set up.
   */
  public Connection open(Session session, UserView user, Instant tokenExpiresAt, String greeting) {
    Connection c =
        Connection.held(
            session,
            user,
            tokenExpiresAt,
            queueCapacity,
            slowConsumers,
            Wire.of(session, gatherBytes),
            outbound,
            greeting);
    c.limit(new FrameBudget(framesPerSecond, burst, maxViolations, System.nanoTime()));
    byId.put(c.id(), c);
    byUser.computeIfAbsent(user.id(), k -> ConcurrentHashMap.newKeySet()).add(c);
    return c;
  }

  /** Forgets a closed session; empty when it was not registered. */
  public java.util.Optional<Connection> closed(String connectionId) {
    Connection c = byId.remove(connectionId);
    if (c == null) {
      return java.util.Optional.empty();
    }
    byUser.computeIfPresent(
        c.user().id(),
        (k, set) -> {
          set.remove(c);
          return set.isEmpty() ? null : set;
        });
    return java.util.Optional.of(c);
  }

  public java.util.Optional<Connection> find(String connectionId) {
    return java.util.Optional.ofNullable(byId.get(connectionId));
  }

  public Collection<Connection> ofUser(long userId) {
    Set<Connection> set = byUser.get(userId);
    return set == null ? List.of() : set;
  }

  public boolean hasUser(long userId) {
    return byUser.containsKey(userId);
  }

  public Collection<Connection> all() {
    return byId.values();
  }

  /** Frames waiting in all outbound queues: the node's send backlog. */
  public int queuedFrames() {
    int queued = 0;
    for (Connection c : byId.values()) {
      queued += c.queued();
    }
    return queued;
  }

  /** The node is shutting down: every connection is being closed and nothing new is accepted. */
  public void beginDrain() {
    draining = true;
  }

  public boolean isDraining() {
    return draining;
  }

  public int count() {
    return byId.size();
  }
}
