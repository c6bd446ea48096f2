package dev.parley.common.node;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Relays TCP connections from a local port to a real server, byte for byte. {@link #close} cuts
 * every connection and stops listening, which is what a client sees when that server goes away.
 */
final class TcpRelay implements AutoCloseable {

  private final InetSocketAddress target;
  private final ServerSocket server;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** Listens on the loopback {@code port} (0 for any free one). */
  TcpRelay(int port, URI target) throws IOException {
    this.target = new InetSocketAddress(target.getHost(), target.getPort());
    server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    Thread acceptor = new Thread(this::accept, "relay-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!closed) {
      Socket client = null;
      try {
        client = server.accept();
        sockets.add(client);
        Socket upstream = new Socket(target.getAddress(), target.getPort());
        sockets.add(upstream);
        if (closed) {
          cut(client, upstream);
          return;
        }
        pipe(client, upstream);
        pipe(upstream, client);
      } catch (IOException e) {
        // Closing the server socket ends accept(); otherwise drop just this connection.
        cut(client);
      }
    }
  }

  private void pipe(Socket from, Socket to) {
    Thread thread =
        new Thread(
            () -> {
              try {
                from.getInputStream().transferTo(to.getOutputStream());
              } catch (IOException e) {
                cut(from, to); // one side went away: so does the other
                return;
              }
              cut(from, to);
            },
            "relay-pipe");
    thread.setDaemon(true);
    thread.start();
  }

  private void cut(Socket... pair) {
    for (Socket socket : pair) {
      if (socket != null) {
        sockets.remove(socket);
        try {
          socket.close();
        } catch (IOException e) {
          throw new IllegalStateException("could not close a relayed socket", e);
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    cut(sockets.toArray(Socket[]::new));
  }
}
