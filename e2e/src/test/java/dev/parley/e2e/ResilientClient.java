package dev.parley.e2e;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A client that behaves as the contract asks of a real one: it routes through the gateway,
 * reconnects when its connection ends (a killed or draining node), syncs after every connect,
 * re-sends every unacknowledged message with the same id, and keeps what it received per
 * conversation by seq. Everything it learns is kept for the checker.
 */
final class ResilientClient implements AutoCloseable {

  private final String name;
  private final String token;
  private final Gateway gateway;
  private final HttpClient http = HttpClient.newHttpClient();

  /** Unacknowledged sends by request id, in the order they were made. */
  private final Map<String, String> pending = new LinkedHashMap<>();

  /** Acks of this client's sends, by request id. */
  final Map<String, JsonObject> acks = new HashMap<>();

  /** What this client knows of each conversation: seq → messageId (pushes, sync, own acks). */
  final Map<String, TreeMap<Long, Long>> seen = new HashMap<>();

  private final Map<String, CompletableFuture<JsonObject>> requests = new HashMap<>();

  /** The same seq with two different message ids: must never happen. */
  final List<String> conflicts = new ArrayList<>();

  private WebSocket socket;
  // A connect loop is running; the end of a socket it opened is its business, not a reconnect's.
  private boolean connecting;
  private Listener listener;
  private CompletableFuture<Void> connected = new CompletableFuture<>();
  private CompletableFuture<Boolean> synced = new CompletableFuture<>();
  private volatile boolean closing;
  private int reconnects;
  long userId;

  ResilientClient(String name, String token, Gateway gateway) {
    this.name = name;
    this.token = token;
    this.gateway = gateway;
  }

  synchronized int reconnects() {
    return reconnects;
  }

  /** Connects (through the gateway), syncs, and re-sends what is unacknowledged. */
  void connect(Duration within) throws Exception {
    synchronized (this) {
      connecting = true;
    }
    boolean done = false;
    try {
      long deadline = System.nanoTime() + within.toNanos();
      Exception last = null;
      long backoff = 100;
      while (System.nanoTime() < deadline) {
        try {
          attempt();
          done = true;
          return;
        } catch (Exception e) {
          last = e;
          java.util.concurrent.locks.LockSupport.parkNanos(backoff * 1_000_000L); // back off
          backoff = Math.min(backoff * 2, 1000);
        }
      }
      throw new AssertionError(name + " could not reconnect within " + within, last);
    } finally {
      boolean endedMeanwhile;
      synchronized (this) {
        connecting = false;
        endedMeanwhile = done && listener != null && listener.ended;
      }
      if (endedMeanwhile) {
        // The new connection ended before the loop was done with it: as after any end.
        reconnectLater();
      }
    }
  }

  private void attempt() throws Exception {
    Gateway.Reply route = gateway.get("/api/route", token);
    if (route.status() != 200) {
      throw new IllegalStateException("route: " + route.status());
    }
    String url = route.object().getString("url");
    CompletableFuture<Void> ready = new CompletableFuture<>();
    CompletableFuture<Boolean> syncDone = new CompletableFuture<>();
    synchronized (this) {
      connected = ready;
      synced = syncDone;
    }
    Listener heard = new Listener();
    WebSocket ws =
        http.newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .buildAsync(
                URI.create(
                    url + "?access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)),
                heard)
            .get(10, TimeUnit.SECONDS);
    synchronized (this) {
      socket = ws;
      listener = heard;
    }
    try {
      ready.get(10, TimeUnit.SECONDS); // the welcome
      syncNow();
      syncDone.get(20, TimeUnit.SECONDS);
      List<String> resend;
      synchronized (this) {
        resend = new ArrayList<>(pending.values());
      }
      for (String frame : resend) {
        ws.sendText(frame, true).join();
      }
    } catch (Exception | Error e) {
      // A client gives up on a connection it will replace: left open, the next one would kick it
      // (one session per user), and its end would start a second reconnect.
      ws.abort();
      throw e;
    }
  }

  private void syncNow() {
    JsonObjectBuilder after = Json.createObjectBuilder();
    synchronized (this) {
      seen.forEach((c, seqs) -> after.add(c, contiguous(seqs)));
    }
    send(
        Json.createObjectBuilder()
            .add("type", "sync")
            .add("id", "sync-" + System.nanoTime())
            .add("after", after)
            .build()
            .toString());
  }

  private static long contiguous(TreeMap<Long, Long> seqs) {
    long n = 0;
    while (seqs.containsKey(n + 1)) {
      n++;
    }
    return n;
  }

  /** Sends a message (room or user target); re-sent with the same id until acknowledged. */
  void sendMessage(String id, JsonObjectBuilder target, String body) {
    String frame =
        target
            .add("type", "message.send")
            .add("id", id)
            .add("kind", "text")
            .add("body", body)
            .build()
            .toString();
    synchronized (this) {
      pending.put(id, frame);
    }
    send(frame);
  }

  /** Sends a request on the current connection and waits for its ack. */
  JsonObject request(String type, JsonObjectBuilder fields) throws Exception {
    String id = "req-" + System.nanoTime();
    CompletableFuture<JsonObject> answer = new CompletableFuture<>();
    synchronized (this) {
      requests.put(id, answer);
    }
    send(fields.add("type", type).add("id", id).build().toString());
    JsonObject reply = answer.get(15, TimeUnit.SECONDS);
    if (!"ack".equals(reply.getString("type"))) {
      throw new AssertionError(type + " refused: " + reply);
    }
    return reply;
  }

  @Override
  public String toString() {
    return name;
  }

  synchronized int pendingCount() {
    return pending.size();
  }

  /** Where this client stands, for a failure message: pending sends, reconnects, conflicts. */
  synchronized String state() {
    return name
        + ": "
        + pending.size()
        + " unacknowledged, "
        + reconnects
        + " reconnects, connected "
        + (socket != null && !socket.isOutputClosed())
        + ", conflicts "
        + conflicts;
  }

  /** Syncs until the server has nothing more, and waits for it. */
  void syncFully() throws Exception {
    CompletableFuture<Boolean> done;
    synchronized (this) {
      synced = new CompletableFuture<>();
      done = synced;
    }
    syncNow();
    done.get(30, TimeUnit.SECONDS);
  }

  private void send(String frame) {
    WebSocket ws;
    synchronized (this) {
      ws = socket;
    }
    if (ws != null && !ws.isOutputClosed()) {
      try {
        ws.sendText(frame, true).get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // The connection is going away; the frame is re-sent after the reconnect.
      }
    }
  }

  private synchronized void record(String conversation, long seq, long messageId) {
    Long before =
        seen.computeIfAbsent(conversation, c -> new TreeMap<>()).putIfAbsent(seq, messageId);
    if (before != null && before != messageId) {
      conflicts.add(name + " " + conversation + "#" + seq + ": " + before + " vs " + messageId);
    }
  }

  private void onFrame(JsonObject f) {
    switch (f.getString("type", "")) {
      case "welcome" -> {
        userId = f.getJsonObject("user").getJsonNumber("id").longValue();
        connected.complete(null);
      }
      case "message" ->
          record(
              f.getString("conversation"),
              f.getJsonNumber("seq").longValue(),
              f.getJsonNumber("messageId").longValue());
      case "ack" -> onAck(f);
      case "error" -> {
        CompletableFuture<JsonObject> waiting;
        synchronized (this) {
          waiting = requests.remove(f.getString("id", ""));
        }
        if (waiting != null) {
          waiting.complete(f);
        } else {
          retryLater(f.getString("id", ""));
        }
      }
      default -> {
        // presence, typing, notices: not under test here
      }
    }
  }

  private void onAck(JsonObject f) {
    String id = f.getString("id");
    CompletableFuture<JsonObject> waiting;
    synchronized (this) {
      waiting = requests.remove(id);
    }
    if (waiting != null) {
      waiting.complete(f);
      return;
    }
    if (f.containsKey("latest")) {
      if (f.getBoolean("more", false)) {
        syncNow();
      } else {
        synced.complete(true);
      }
      return;
    }
    if (f.containsKey("seq")) {
      record(
          f.getString("conversation"),
          f.getJsonNumber("seq").longValue(),
          f.getJsonNumber("messageId").longValue());
      synchronized (this) {
        pending.remove(id);
        JsonObject earlier = acks.putIfAbsent(id, f);
        if (earlier != null && !earlier.getJsonNumber("seq").equals(f.getJsonNumber("seq"))) {
          conflicts.add(name + " " + id + " acked as two seqs");
        }
      }
    }
  }

  /** A send refused for a passing reason (rate limit, a node going down) is tried again. */
  private void retryLater(String id) {
    String frame;
    synchronized (this) {
      frame = pending.get(id);
    }
    if (frame != null) {
      CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(() -> send(frame));
    }
  }

  private void reconnectLater() {
    if (closing) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              synchronized (this) {
                reconnects++;
              }
              try {
                connect(Duration.ofSeconds(60));
              } catch (Exception | AssertionError e) {
                synchronized (this) {
                  conflicts.add(name + " gave up reconnecting: " + e);
                }
              }
            },
            name + "-reconnect");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() {
    closing = true;
    WebSocket ws;
    synchronized (this) {
      ws = socket;
    }
    if (ws != null) {
      ws.abort();
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    // Guarded by the client's lock.
    private boolean ended;

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        JsonObject f = Json.createReader(new StringReader(partial.toString())).readObject();
        partial.setLength(0);
        onFrame(f);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      ended();
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      ended();
    }

    private void ended() {
      boolean reconnect;
      synchronized (ResilientClient.this) {
        if (ended) {
          return;
        }
        ended = true;
        // Only the end of the current connection matters, and only when no connect loop is
        // running (it replaces a connection that ends on it; see connect's end for the race).
        reconnect = listener == this && !connecting;
      }
      if (reconnect) {
        reconnectLater();
      }
    }
  }
}
