package dev.parley.imnode.connection;

import jakarta.websocket.Session;
import java.lang.System.Logger.Level;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.glassfish.tyrus.core.TyrusWebSocket;

/**
 * Writes frames as raw bytes on Tyrus' {@link TyrusWebSocket#sendRawFrame}, the path Tyrus' own
 * broadcast uses: a frame is encoded once for all its receivers ({@link OutboundFrame}), and the
 * frames queued on a connection while a write was in flight go out together, in one write of up to
 * {@code gatherBytes}. The socket is reached through the package-private {@code webSocket} field of
 * Tyrus' {@code RemoteEndpoint}; a session where that is not found (another server, a Tyrus that
 * changed, a negotiated extension that must transform frames) gets a {@link TextWire}.
 */
final class TyrusWire implements Wire {

  private static final System.Logger LOG = System.getLogger(TyrusWire.class.getName());
  private static final Field WEB_SOCKET = webSocketField();

  private final TyrusWebSocket socket;
  private final int gatherBytes;

  private TyrusWire(TyrusWebSocket socket, int gatherBytes) {
    this.socket = socket;
    this.gatherBytes = gatherBytes;
  }

  /** A raw wire for {@code session}, or null when it cannot have one. */
  static Wire of(Session session, int gatherBytes) {
    List<?> extensions = session.getNegotiatedExtensions();
    if (WEB_SOCKET == null || (extensions != null && !extensions.isEmpty())) {
      return null;
    }
    Object remote = session.getAsyncRemote();
    if (!WEB_SOCKET.getDeclaringClass().isInstance(remote)) {
      return null;
    }
    try {
      return new TyrusWire((TyrusWebSocket) WEB_SOCKET.get(remote), gatherBytes);
    } catch (IllegalAccessException | ClassCastException e) {
      return null;
    }
  }

  @Override
  public CompletableFuture<?> write(List<OutboundFrame> frames) {
    ByteBuffer bytes;
    if (frames.size() == 1) {
      bytes = ByteBuffer.wrap(frames.get(0).wire());
    } else {
      int total = 0;
      for (OutboundFrame f : frames) {
        total += f.wire().length;
      }
      byte[] gathered = new byte[total];
      int at = 0;
      for (OutboundFrame f : frames) {
        byte[] w = f.wire();
        System.arraycopy(w, 0, gathered, at, w.length);
        at += w.length;
      }
      bytes = ByteBuffer.wrap(gathered);
    }
    Future<?> sent = socket.sendRawFrame(bytes);
    return (CompletableFuture<?>) sent;
  }

  @Override
  public int gatherBytes() {
    return gatherBytes;
  }

  private static Field webSocketField() {
    try {
      Field f =
          Class.forName("org.glassfish.tyrus.core.TyrusRemoteEndpoint")
              .getDeclaredField("webSocket");
      if (f.getType() != TyrusWebSocket.class) {
        return null;
      }
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(
          Level.WARNING, "Tyrus raw frames unavailable, sending text per frame: {0}", e.toString());
      return null;
    }
  }
}
