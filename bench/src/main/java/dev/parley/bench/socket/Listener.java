package dev.parley.bench.socket;

/**
 * What a scenario hears from a socket. All calls come on the socket's event-loop thread, in order;
 * implementations must not block.
 */
public interface Listener {

  /** The upgrade succeeded (HTTP 101). */
  void opened(WebSocket socket);

  /** A complete text frame. */
  void text(WebSocket socket, String frame);

  /**
   * The socket is gone. {@code status} is the HTTP status of a refused upgrade (0 when the TCP
   * connection failed); {@code code} is the close code after an open (1006 when the connection
   * broke without a close frame).
   */
  void closed(WebSocket socket, boolean wasOpen, int status, int code);
}
