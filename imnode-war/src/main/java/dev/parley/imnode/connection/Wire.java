package dev.parley.imnode.connection;

import jakarta.websocket.Session;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How a {@link Connection}'s frames reach its socket. {@link TyrusWire} writes the frames' shared
 * wire bytes, several frames in one write; {@link TextWire} is the portable fallback, one {@code
 * sendText} per frame, for a server that is not Tyrus.
 */
interface Wire {

  /**
   * Writes {@code frames} in order; the future completes when they are written (possibly before
   * this returns) or fails. At most one write is in flight per connection.
   */
  CompletableFuture<?> write(List<OutboundFrame> frames);

  /** How many bytes of frames a single write may gather; 0 means one frame per write. */
  int gatherBytes();

  static Wire of(Session session, int gatherBytes) {
    Wire wire = null;
    if (gatherBytes > 0 && TyrusPresence.AVAILABLE) {
      wire = TyrusWire.of(session, gatherBytes);
    }
    if (wire == null) {
      wire = new TextWire(session);
    }
    TyrusPresence.reportFirst(wire);
    return wire;
  }

  /** Whether the server's Tyrus has what {@link TyrusWire} needs, checked without linking it. */
  final class TyrusPresence {
    static final boolean AVAILABLE = check();
    private static final java.util.concurrent.atomic.AtomicBoolean REPORTED =
        new java.util.concurrent.atomic.AtomicBoolean();

    /** Logs, once per node, which wire its connections use. */
    static void reportFirst(Wire wire) {
      if (REPORTED.compareAndSet(false, true)) {
        System.getLogger(Wire.class.getName())
            .log(
                System.Logger.Level.INFO,
                "connections write through {0} (gathering up to {1} bytes per write)",
                wire.getClass().getSimpleName(),
                wire.gatherBytes());
      }
    }

    private TyrusPresence() {}

    private static boolean check() {
      try {
        ClassLoader loader = Wire.class.getClassLoader();
        Class<?> future = Class.forName("org.glassfish.tyrus.core.TyrusFuture", false, loader);
        Class.forName("org.glassfish.tyrus.core.TyrusWebSocket", false, loader);
        return CompletableFuture.class.isAssignableFrom(future);
      } catch (ClassNotFoundException | LinkageError e) {
        return false;
      }
    }
  }
}
