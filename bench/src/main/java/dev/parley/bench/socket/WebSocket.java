package dev.parley.bench.socket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One client WebSocket (RFC 6455): an HTTP/1.1 upgrade with the token in the query, masked text
 * frames out, unmasked frames in. {@link #send} may be called from any thread; reads and listener
 * calls happen on the event loop.
 */
public final class WebSocket {

  private enum State {
    CONNECTING,
    HANDSHAKING,
    OPEN,
    CLOSED
  }

  private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};

  private final EventLoop loop;
  private final Listener listener;
  private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>(2);
  private SocketChannel channel;
  private SelectionKey key;
  private volatile State state = State.CONNECTING;
  private ByteBuffer pending; // bytes of an incomplete frame or response head
  private ByteBuffer fragments; // payload of a fragmented text message
  private boolean closingByUs;

  private WebSocket(EventLoop loop, Listener listener) {
    this.loop = loop;
    this.listener = listener;
  }

  /**
   * A socket that is not connected yet: keep it where the listener can compare, then {@link
   * #connect}.
   */
  public static WebSocket on(EventLoop loop, Listener listener) {
    return new WebSocket(loop, listener);
  }

  /**
   * Starts connecting to {@code url} (ws://host:port/path) from {@code local}, with {@code token}
   * as {@code access_token}. The outcome arrives at the listener.
   */
  public void connect(InetAddress local, URI url, String token) {
    loop.execute(() -> start(local, url, token));
  }

  public boolean isOpen() {
    return state == State.OPEN;
  }

  private void start(InetAddress local, URI url, String token) {
    try {
      channel = SocketChannel.open();
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      // Small kernel buffers: idle sockets should cost the client little.
      channel.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024);
      channel.bind(new InetSocketAddress(local, 0));
      int port = url.getPort() > 0 ? url.getPort() : 80;
      byte[] nonce = new byte[16];
      ThreadLocalRandom.current().nextBytes(nonce);
      String path =
          (url.getRawPath() == null || url.getRawPath().isEmpty()) ? "/" : url.getRawPath();
      String head =
          "GET "
              + path
              + "?access_token="
              + URLEncoder.encode(token, StandardCharsets.UTF_8)
              + " HTTP/1.1\r\nHost: "
              + url.getHost()
              + ":"
              + port
              + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
              + Base64.getEncoder().encodeToString(nonce)
              + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
      out.add(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
      boolean connected = channel.connect(new InetSocketAddress(url.getHost(), port));
      key = channel.register(loop.selector(), SelectionKey.OP_CONNECT, this);
      if (connected) {
        connected();
      }
    } catch (IOException e) {
      fail(0);
    }
  }

  void ready(SelectionKey k) {
    try {
      if (k.isValid() && k.isConnectable()) {
        if (!channel.finishConnect()) {
          return;
        }
        connected();
      }
      if (k.isValid() && k.isWritable()) {
        flush();
      }
      if (k.isValid() && k.isReadable()) {
        read();
      }
    } catch (IOException | RuntimeException e) {
      fail(state == State.OPEN ? 1006 : 0);
    }
  }

  private void connected() throws IOException {
    state = State.HANDSHAKING;
    key.interestOps(SelectionKey.OP_READ);
    flush();
  }

  private void read() throws IOException {
    ByteBuffer buf = loop.readBuffer;
    buf.clear();
    int n = channel.read(buf);
    if (n < 0) {
      fail(state == State.OPEN ? 1006 : 0);
      return;
    }
    if (n == 0) {
      return;
    }
    buf.flip();
    ByteBuffer src;
    if (pending != null) {
      ByteBuffer joined = ByteBuffer.allocate(pending.remaining() + buf.remaining());
      joined.put(pending).put(buf).flip();
      src = joined;
      pending = null;
    } else {
      src = buf;
    }
    if (state == State.HANDSHAKING && !readHead(src)) {
      return;
    }
    while (state == State.OPEN && readFrame(src)) {
      // one frame consumed
    }
    if (state != State.CLOSED && src.hasRemaining()) {
      pending = ByteBuffer.allocate(src.remaining()).put(src).flip();
    }
  }

  /** Consumes the upgrade response head; false when it is incomplete or the upgrade was refused. */
  private boolean readHead(ByteBuffer src) {
    int end = indexOf(src, HEAD_END);
    if (end < 0) {
      if (src.remaining() > 16 * 1024) {
        fail(0);
      } else {
        pending = ByteBuffer.allocate(src.remaining()).put(src).flip();
      }
      return false;
    }
    int start = src.position();
    // "HTTP/1.1 101 ..." — the status is at offset 9.
    int status = 0;
    for (int i = start + 9; i < start + 12 && i < end; i++) {
      status = status * 10 + (src.get(i) - '0');
    }
    src.position(end + HEAD_END.length);
    if (status != 101) {
      refuse(status);
      return false;
    }
    state = State.OPEN;
    listener.opened(this);
    return true;
  }

  private boolean readFrame(ByteBuffer src) {
    int p = src.position();
    if (src.remaining() < 2) {
      return false;
    }
    int b0 = src.get(p) & 0xff;
    int b1 = src.get(p + 1) & 0xff;
    int header = 2;
    long len = b1 & 0x7f;
    if (len == 126) {
      if (src.remaining() < 4) {
        return false;
      }
      len = src.getShort(p + 2) & 0xffff;
      header = 4;
    } else if (len == 127) {
      if (src.remaining() < 10) {
        return false;
      }
      len = src.getLong(p + 2);
      header = 10;
    }
    boolean masked = (b1 & 0x80) != 0;
    if (masked) {
      header += 4; // servers do not mask; tolerate it anyway
    }
    if (src.remaining() < header + len) {
      return false;
    }
    byte[] payload = new byte[(int) len];
    src.position(p + header);
    src.get(payload);
    if (masked) {
      for (int i = 0; i < payload.length; i++) {
        payload[i] ^= src.get(p + header - 4 + (i & 3));
      }
    }
    boolean fin = (b0 & 0x80) != 0;
    int opcode = b0 & 0x0f;
    switch (opcode) {
      case 1, 0 -> text(payload, fin, opcode == 0);
      case 8 -> {
        int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        if (!closingByUs) {
          sendFrame(0x8, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0]);
        }
        finish(true, 0, code);
      }
      case 9 -> sendFrame(0xA, payload);
      default -> {
        // pong or reserved: ignored
      }
    }
    return true;
  }

  private void text(byte[] payload, boolean fin, boolean continuation) {
    if (!continuation && fin) {
      listener.text(this, new String(payload, StandardCharsets.UTF_8));
      return;
    }
    if (!continuation || fragments == null) {
      fragments = ByteBuffer.allocate(Math.max(1024, payload.length * 2));
    }
    if (fragments.remaining() < payload.length) {
      ByteBuffer bigger =
          ByteBuffer.allocate(
              Math.max(fragments.capacity() * 2, fragments.position() + payload.length));
      fragments.flip();
      bigger.put(fragments);
      fragments = bigger;
    }
    fragments.put(payload);
    if (fin) {
      String whole = new String(fragments.array(), 0, fragments.position(), StandardCharsets.UTF_8);
      fragments = null;
      listener.text(this, whole);
    }
  }

  /** Sends one text frame; false when the socket is not open. Safe from any thread. */
  public boolean send(String text) {
    if (state != State.OPEN) {
      return false;
    }
    return sendFrame(0x1, text.getBytes(StandardCharsets.UTF_8));
  }

  private boolean sendFrame(int opcode, byte[] payload) {
    int len = payload.length;
    int header = len < 126 ? 2 : len < 65536 ? 4 : 10;
    ByteBuffer frame = ByteBuffer.allocate(header + 4 + len);
    frame.put((byte) (0x80 | opcode));
    if (len < 126) {
      frame.put((byte) (0x80 | len));
    } else if (len < 65536) {
      frame.put((byte) (0x80 | 126)).putShort((short) len);
    } else {
      frame.put((byte) (0x80 | 127)).putLong(len);
    }
    int mask = ThreadLocalRandom.current().nextInt();
    byte[] m = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
    frame.put(m);
    for (int i = 0; i < len; i++) {
      frame.put((byte) (payload[i] ^ m[i & 3]));
    }
    frame.flip();
    return write(frame);
  }

  private boolean write(ByteBuffer frame) {
    synchronized (this) {
      if (state == State.CLOSED || channel == null) {
        return false;
      }
      try {
        if (out.isEmpty()) {
          channel.write(frame);
          if (!frame.hasRemaining()) {
            return true;
          }
        }
        boolean wasEmpty = out.isEmpty();
        out.add(frame);
        if (wasEmpty) {
          if (loop.inLoop()) {
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
          } else {
            loop.execute(this::wantWrite);
          }
        }
        return true;
      } catch (IOException e) {
        loop.execute(() -> fail(1006));
        return false;
      }
    }
  }

  private void wantWrite() {
    synchronized (this) {
      if (key != null && key.isValid() && !out.isEmpty()) {
        key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
      }
    }
  }

  private void flush() throws IOException {
    synchronized (this) {
      while (!out.isEmpty()) {
        ByteBuffer head = out.peek();
        channel.write(head);
        if (head.hasRemaining()) {
          key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
          return;
        }
        out.poll();
      }
      if (key.isValid()) {
        key.interestOps(state == State.CONNECTING ? SelectionKey.OP_CONNECT : SelectionKey.OP_READ);
      }
    }
  }

  /** Closes with 1000 (a close frame, then the TCP connection); the listener hears of it. */
  public void close() {
    loop.execute(
        () -> {
          if (state == State.OPEN) {
            closingByUs = true;
            sendFrame(0x8, new byte[] {0x03, (byte) 0xe8});
            finish(true, 0, 1000);
          } else if (state != State.CLOSED) {
            finish(false, 0, 0);
          }
        });
  }

  private void refuse(int status) {
    finish(false, status, 0);
  }

  private void fail(int code) {
    finish(state == State.OPEN, 0, code);
  }

  private void finish(boolean wasOpen, int status, int code) {
    synchronized (this) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
      out.clear();
    }
    pending = null;
    fragments = null;
    try {
      if (key != null) {
        key.cancel();
      }
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      // closing anyway
    }
    listener.closed(this, wasOpen, status, code);
  }

  private static int indexOf(ByteBuffer src, byte[] what) {
    outer:
    for (int i = src.position(); i <= src.limit() - what.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (src.get(i + j) != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
