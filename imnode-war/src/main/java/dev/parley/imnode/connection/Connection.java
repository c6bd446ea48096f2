package dev.parley.imnode.connection;

import dev.parley.common.protocol.UserView;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client connection. Frames are sent asynchronously and strictly in the order {@link #send}
 * accepted them; at most one write is in flight. When the outbound queue is full the client is too
 * slow to keep up: the connection is closed with 1013 so that it reconnects and syncs, and {@link
 * SlowConsumers} counts it. {@link #send} never blocks, so a fan-out loop never waits on one
 * client. Thread-safe.
 */
public final class Connection {

  private static final System.Logger LOG = System.getLogger(Connection.class.getName());

  /** Close code for a client that could not keep up with its frames. */
  public static final int CLOSE_SLOW_CONSUMER = 1013;

  /** Close code for a client that kept sending over its rate limit. */
  public static final int CLOSE_FLOOD = 4008;

  private final Session session;
  private final UserView user;
  private volatile Instant tokenExpiresAt;
  private final int capacity;
  private final SlowConsumers slowConsumers;
  private volatile FrameBudget budget;
  private volatile long lastHeardNanos = System.nanoTime();

  // Created with the first follow: most idle connections follow none.
  private volatile Set<String> following;

  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private boolean writing;
  private boolean closed;

  Connection(
      Session session,
      UserView user,
      Instant tokenExpiresAt,
      int capacity,
      SlowConsumers slowConsumers) {
    this.session = session;
    this.user = user;
    this.tokenExpiresAt = tokenExpiresAt;
    this.capacity = capacity;
    this.slowConsumers = slowConsumers;
  }

  /**
   * A connection that queues {@code greeting} first and writes nothing until {@link #release}:
   * frames for it that arrive while it is being set up wait behind the greeting.
   */
  static Connection held(
      Session session,
      UserView user,
      Instant tokenExpiresAt,
      int capacity,
      SlowConsumers slowConsumers,
      String greeting) {
    Connection c = new Connection(session, user, tokenExpiresAt, capacity, slowConsumers);
    c.writing = true;
    c.queue.addLast(greeting);
    return c;
  }

  /** Starts writing a {@link #held} connection's queue, greeting first. */
  public void release() {
    String first;
    synchronized (this) {
      first = queue.pollFirst();
      if (first == null) {
        writing = false;
        return;
      }
    }
    writeFrom(first);
  }

  /** Whether this connection receives a conversation's pushes (see delivery's Subscriptions). */
  public boolean follows(String conversation) {
    Set<String> f = following;
    return f != null && f.contains(conversation);
  }

  /** Records that this connection receives {@code conversation}; true when it did not before. */
  public boolean follow(String conversation) {
    Set<String> f = following;
    if (f == null) {
      synchronized (this) {
        if (following == null) {
          following = ConcurrentHashMap.newKeySet();
        }
        f = following;
      }
    }
    return f.add(conversation);
  }

  /** Records that this connection no longer receives {@code conversation}. */
  public boolean unfollow(String conversation) {
    Set<String> f = following;
    return f != null && f.remove(conversation);
  }

  /** The conversations this connection receives, as they were when called. */
  public Set<String> followed() {
    Set<String> f = following;
    return f == null ? Set.of() : Set.copyOf(f);
  }

  public String id() {
    return session.getId();
  }

  public UserView user() {
    return user;
  }

  public Instant tokenExpiresAt() {
    return tokenExpiresAt;
  }

  /**
   * Lets the session live until {@code expiresAt} (a renewed token's expiry); never shortens it.
   *
   * @return the expiry now in force
   */
  public synchronized Instant extendTokenExpiry(Instant expiresAt) {
    if (expiresAt.isAfter(tokenExpiresAt)) {
      tokenExpiresAt = expiresAt;
    }
    return tokenExpiresAt;
  }

  /** Notes that a frame arrived from the client now. */
  public void heard(long nowNanos) {
    lastHeardNanos = nowNanos;
  }

  /** How long the client has been silent at {@code nowNanos}, in nanoseconds. */
  public long silentNanos(long nowNanos) {
    return nowNanos - lastHeardNanos;
  }

  /** Whether the client may send another frame now (no budget: always). */
  public FrameBudget.Verdict admitFrame() {
    FrameBudget b = budget;
    return b == null ? FrameBudget.Verdict.ADMITTED : b.admit(System.nanoTime());
  }

  void limit(FrameBudget budget) {
    this.budget = budget;
  }

  /** Frames waiting to be written. */
  public synchronized int queued() {
    return queue.size();
  }

  /**
   * Queues a frame for sending.
   *
   * @return false when the connection is closed or was just closed for being too slow
   */
  public boolean send(String frame) {
    boolean overflow;
    synchronized (this) {
      if (closed) {
        return false;
      }
      if (writing && queue.size() < capacity) {
        queue.addLast(frame);
        return true;
      }
      overflow = writing;
      if (overflow) {
        closed = true;
        queue.clear();
        pendingClose = null;
      } else {
        writing = true;
      }
    }
    if (overflow) {
      slowConsumers.record();
      closeNow(CLOSE_SLOW_CONSUMER, "Too slow to keep up; reconnect and sync");
      return false;
    }
    writeFrom(frame);
    return true;
  }

  /** Closes the connection with a close code and reason, after the frames already queued. */
  public void close(int code, String reason) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (writing) {
        // The writer closes once the queue is drained.
        pendingClose = new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason);
        return;
      }
    }
    closeNow(code, reason);
  }

  private CloseReason pendingClose;

  /** Writes frames until the queue is empty or a write completes later, on another thread. */
  private void writeFrom(String first) {
    String frame = first;
    while (frame != null) {
      InlineCompletion completion = new InlineCompletion();
      try {
        session.getAsyncRemote().sendText(frame, completion);
      } catch (RuntimeException e) {
        failed(e);
        return;
      }
      if (!completion.returnedBeforeCompletion()) {
        if (!completion.result.isOK()) {
          failed(completion.result.getException());
          return;
        }
        frame = next();
      } else {
        return; // The completion handler carries on.
      }
    }
  }

  private String next() {
    CloseReason close;
    synchronized (this) {
      String frame = queue.pollFirst();
      if (frame != null) {
        return frame;
      }
      writing = false;
      close = pendingClose;
      pendingClose = null;
    }
    if (close != null) {
      closeNow(close.getCloseCode().getCode(), close.getReasonPhrase());
    }
    return null;
  }

  private void failed(Throwable cause) {
    synchronized (this) {
      closed = true;
      writing = false;
      queue.clear();
    }
    LOG.log(Level.DEBUG, "write to connection {0} failed: {1}", id(), String.valueOf(cause));
    closeNow(CloseReason.CloseCodes.CLOSED_ABNORMALLY.getCode(), "write failed");
  }

  private void closeNow(int code, String reason) {
    try {
      if (session.isOpen()) {
        session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
      }
    } catch (IOException | IllegalStateException e) {
      LOG.log(Level.DEBUG, "closing connection {0}: {1}", id(), e.toString());
    }
  }

  /**
   * Tells whether a send completed on the calling thread (then the caller loops, keeping the stack
   * flat) or later (then the handler continues the writing).
   */
  private final class InlineCompletion implements SendHandler {
    private static final int PENDING = 0;
    private static final int RETURNED = 1;
    private static final int COMPLETED = 2;
    private final AtomicInteger state = new AtomicInteger(PENDING);
    private volatile SendResult result;

    @Override
    public void onResult(SendResult sendResult) {
      result = sendResult;
      if (!state.compareAndSet(PENDING, COMPLETED)) {
        // The caller has returned: continue here.
        if (!sendResult.isOK()) {
          failed(sendResult.getException());
        } else {
          writeFrom(next());
        }
      }
    }

    boolean returnedBeforeCompletion() {
      return state.compareAndSet(PENDING, RETURNED);
    }
  }
}
