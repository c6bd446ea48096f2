package dev.parley.imnode.connection;

import dev.parley.common.protocol.UserView;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

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

  private final Wire wire;
  private final Outbound outbound;
  private final ArrayDeque<OutboundFrame> queue = new ArrayDeque<>();
  // A flush is scheduled or running; false only while the queue is empty.
  private boolean writing;
  private boolean closed;

  Connection(
      Session session,
      UserView user,
      Instant tokenExpiresAt,
      int capacity,
      SlowConsumers slowConsumers,
      Wire wire,
      Outbound outbound) {
    this.session = session;
    this.wire = wire;
    this.outbound = outbound;
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
      Wire wire,
      Outbound outbound,
      String greeting) {
    Connection c =
        new Connection(session, user, tokenExpiresAt, capacity, slowConsumers, wire, outbound);
    c.writing = true;
    c.queue.addLast(OutboundFrame.of(greeting));
    return c;
  }

  /** Starts writing a {@link #held} connection's queue, greeting first, on this thread. */
  public void release() {
    flush();
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
   * Queues a frame for sending; a writer thread writes it ({@link Outbound}).
   *
   * @return false when the connection is closed or was just closed for being too slow
   */
  public boolean send(String frame) {
    return send(OutboundFrame.of(frame));
  }

  /**
   * Queues a frame that may be shared with other connections (encoded for the wire once); a writer
   * thread writes it ({@link Outbound}), gathered with whatever else is queued by then.
   *
   * @return false when the connection is closed or was just closed for being too slow
   */
  public boolean send(OutboundFrame frame) {
    return switch (enqueue(frame)) {
      case STARTED -> {
        outbound.execute(this::flush);
        yield true;
      }
      case QUEUED -> true;
      case REFUSED -> false;
    };
  }

  /**
   * Queues a frame and, when nothing is being written to this connection, writes it on the calling
   * thread at once instead of handing it to a writer: for a reply, and for a push that reaches only
   * a few connections, where the hand-off (a writer woken, then parked again) costs more than the
   * write. The write never blocks: what the socket cannot take now is written when it can.
   *
   * @return false when the connection is closed or was just closed for being too slow
   */
  public boolean sendNow(OutboundFrame frame) {
    return switch (enqueue(frame)) {
      case STARTED -> {
        flush();
        yield true;
      }
      case QUEUED -> true;
      case REFUSED -> false;
    };
  }

  /** {@link #sendNow(OutboundFrame)} of a frame for this connection alone. */
  public boolean sendNow(String frame) {
    return sendNow(OutboundFrame.of(frame));
  }

  private enum Enqueued {
    /** Queued, and the caller must start a flush. */
    STARTED,
    /** Queued behind a flush already scheduled or running. */
    QUEUED,
    /** Not queued: closed, or now closed for being too slow. */
    REFUSED
  }

  private Enqueued enqueue(OutboundFrame frame) {
    synchronized (this) {
      if (closed) {
        return Enqueued.REFUSED;
      }
      if (queue.size() < capacity) {
        queue.addLast(frame);
        if (writing) {
          return Enqueued.QUEUED;
        }
        writing = true;
        return Enqueued.STARTED;
      }
      closed = true;
      queue.clear();
      pendingClose = null;
    }
    slowConsumers.record();
    closeNow(CLOSE_SLOW_CONSUMER, "Too slow to keep up; reconnect and sync");
    return Enqueued.REFUSED;
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

  /**
   * Writes what is queued, gathered into as few writes as the wire allows. When a write completes
   * later (the socket was full), or frames are still queued after one, the rest is scheduled on a
   * writer again: one busy connection does not keep a writer from the others.
   */
  private void flush() {
    List<OutboundFrame> batch = nextBatch();
    if (batch == null) {
      return;
    }
    CompletableFuture<?> written;
    try {
      written = wire.write(batch);
    } catch (RuntimeException e) {
      failed(e);
      return;
    }
    outbound.wrote(batch.size());
    if (!written.isDone()) {
      written.whenComplete(
          (ignored, failure) -> {
            if (failure != null) {
              failed(failure);
            } else {
              outbound.execute(this::flush);
            }
          });
    } else if (written.isCompletedExceptionally()) {
      failed(written.handle((ignored, failure) -> failure).join());
    } else if (!idleIfDrained()) {
      outbound.execute(this::flush);
    }
  }

  /** Goes idle (closing if a close was waiting) when nothing is queued; false when something is. */
  private boolean idleIfDrained() {
    CloseReason close;
    synchronized (this) {
      if (!queue.isEmpty()) {
        return false;
      }
      writing = false;
      close = pendingClose;
      pendingClose = null;
    }
    if (close != null) {
      closeNow(close.getCloseCode().getCode(), close.getReasonPhrase());
    }
    return true;
  }

  /**
   * The queued frames for the next write: as many as the wire gathers into one write (at least
   * one), or null (and the connection idle, closed if a close was waiting) when none is queued.
   */
  private List<OutboundFrame> nextBatch() {
    while (true) {
      synchronized (this) {
        OutboundFrame frame = queue.pollFirst();
        if (frame != null) {
          return gather(frame);
        }
      }
      if (idleIfDrained()) {
        return null;
      }
    }
  }

  /** {@code first} and the frames queued behind it that fit in one write. Holds the lock. */
  private List<OutboundFrame> gather(OutboundFrame first) {
    int limit = wire.gatherBytes();
    if (limit <= 0 || queue.isEmpty()) {
      return List.of(first);
    }
    List<OutboundFrame> batch = new ArrayList<>();
    batch.add(first);
    int bytes = first.wire().length;
    OutboundFrame next;
    while ((next = queue.peekFirst()) != null && bytes + next.wire().length <= limit) {
      bytes += next.wire().length;
      batch.add(queue.pollFirst());
    }
    return batch;
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
}
