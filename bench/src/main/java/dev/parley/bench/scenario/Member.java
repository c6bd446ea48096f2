package dev.parley.bench.scenario;

import dev.parley.bench.account.Account;
import dev.parley.bench.socket.Listener;
import dev.parley.bench.socket.WebSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** One bench user and its current connection. Frames go to the crowd's scenario. */
final class Member implements Listener {

  final int index;
  volatile Account account;
  private final Crowd crowd;
  private final String idPrefix =
      "b" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36) + "-";
  private final AtomicLong ids = new AtomicLong();
  volatile WebSocket socket;
  volatile String nodeId;
  volatile boolean welcomed;
  volatile boolean leaving; // closed by the bench, not dropped

  /** Whatever the scenario keeps per member. */
  volatile Object state;

  Member(int index, Account account, Crowd crowd) {
    this.index = index;
    this.account = account;
    this.crowd = crowd;
  }

  /** A request id unique across all of this user's connections (the server dedups by it). */
  String nextId() {
    return idPrefix + ids.incrementAndGet();
  }

  boolean send(String frame) {
    WebSocket ws = socket;
    return ws != null && welcomed && ws.send(frame);
  }

  @Override
  public void opened(WebSocket ws) {
    crowd.opened(this);
  }

  @Override
  public void text(WebSocket ws, String frame) {
    if (ws != socket) {
      return;
    }
    String type = Frames.type(frame);
    if ("welcome".equals(type)) {
      nodeId = Frames.string(frame, "nodeId");
      welcomed = true;
      crowd.welcomed(this);
      return;
    }
    crowd.scenario().frame(this, type, frame);
  }

  @Override
  public void closed(WebSocket ws, boolean wasOpen, int status, int code) {
    if (ws != socket) {
      return;
    }
    boolean wasWelcomed = welcomed;
    welcomed = false;
    crowd.closed(this, wasOpen, wasWelcomed, status, code);
  }
}
