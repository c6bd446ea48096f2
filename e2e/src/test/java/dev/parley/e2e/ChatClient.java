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
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A WebSocket client of the contract: it collects every frame the server sends, answers requests by
 * id, and waits for frames with a timeout.
 */
final class ChatClient implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(15);

  private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  private final List<JsonObject> seen = new ArrayList<>();
  private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private final AtomicInteger ids = new AtomicInteger();
  // Request ids are unique per user across connections: the server treats a repeated
  // message.send id of the same user as a retry.
  private final String prefix = "r" + java.util.UUID.randomUUID().toString().substring(0, 8) + "-";
  private final WebSocket socket;
  final JsonObject welcome;

  private ChatClient(String url, String token) throws Exception {
    String full = url + "?access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .buildAsync(URI.create(full), new Listener())
            .get(20, TimeUnit.SECONDS);
    welcome = await(f -> "welcome".equals(f.getString("type")));
  }

  static ChatClient connect(String url, String token) throws Exception {
    return new ChatClient(url, token);
  }

  String nodeId() {
    return welcome.getString("nodeId");
  }

  long userId() {
    return welcome.getJsonObject("user").getJsonNumber("id").longValue();
  }

  void sendRaw(String text) {
    socket.sendText(text, true).join();
  }

  /** Sends a request and returns its {@code ack} or {@code error} answer. */
  JsonObject request(String type, JsonObjectBuilder fields) throws InterruptedException {
    String id = prefix + ids.incrementAndGet();
    return requestWithId(id, type, fields);
  }

  JsonObject requestWithId(String id, String type, JsonObjectBuilder fields)
      throws InterruptedException {
    sendRaw(fields.add("type", type).add("id", id).build().toString());
    return await(f -> id.equals(f.getString("id", null)));
  }

  /** Sends a request that must be acknowledged and returns the ack. */
  JsonObject ok(String type, JsonObjectBuilder fields) throws InterruptedException {
    JsonObject answer = request(type, fields);
    if (!"ack".equals(answer.getString("type"))) {
      throw new AssertionError(type + " was refused: " + answer);
    }
    return answer;
  }

  /** The first frame (already received or yet to come) that matches, within {@link #WAIT}. */
  JsonObject await(Predicate<JsonObject> match) throws InterruptedException {
    return await(match, WAIT);
  }

  /** The first frame (already received or yet to come) that matches, within {@code wait}. */
  JsonObject await(Predicate<JsonObject> match, Duration wait) throws InterruptedException {
    synchronized (seen) {
      for (int i = 0; i < seen.size(); i++) {
        if (match.test(seen.get(i))) {
          return seen.remove(i);
        }
      }
    }
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonObject f = left > 0 ? frames.poll(left, TimeUnit.NANOSECONDS) : null;
      if (f == null) {
        throw new AssertionError("no matching frame within " + wait + "; unmatched: " + seen);
      }
      if (match.test(f)) {
        return f;
      }
      synchronized (seen) {
        seen.add(f);
      }
    }
  }

  /** Whether a matching frame arrives within {@code wait} (for asserting that one does not). */
  boolean receives(Predicate<JsonObject> match, Duration wait) throws InterruptedException {
    synchronized (seen) {
      if (seen.stream().anyMatch(match)) {
        return true;
      }
    }
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonObject f = left > 0 ? frames.poll(left, TimeUnit.NANOSECONDS) : null;
      if (f == null) {
        return false;
      }
      synchronized (seen) {
        seen.add(f);
      }
      if (match.test(f)) {
        return true;
      }
    }
  }

  boolean isOpen() {
    return !socket.isInputClosed() && !socket.isOutputClosed() && !closeCode.isDone();
  }

  int awaitClose() throws Exception {
    return closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  static Predicate<JsonObject> type(String type) {
    return f -> type.equals(f.getString("type", null));
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        frames.add(Json.createReader(new StringReader(partial.toString())).readObject());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closeCode.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closeCode.complete(-1);
    }
  }
}
