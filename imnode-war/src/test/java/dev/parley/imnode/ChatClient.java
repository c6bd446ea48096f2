package dev.parley.imnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A WebSocket client of protocol v1 for tests. It collects every frame the server sends in arrival
 * order; {@link #awaitFrame} takes the first one that matches (waiting up to a timeout), and frames
 * it passes over stay available to later awaits and to {@link #hasReceived}. Request ids are unique
 * across all clients, so that two connections of one user never look like a retried send.
 */
final class ChatClient implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(10);

  /** The close code of a client that signs out ({@code Departures.CLOSE_SIGNED_OUT}). */
  static final int SIGNED_OUT = 4000;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private final BlockingQueue<JsonObject> incoming = new LinkedBlockingQueue<>();
  private final List<JsonObject> passedOver = new ArrayList<>();
  private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private final String idPrefix = UUID.randomUUID().toString().substring(0, 8) + "-";
  private final AtomicInteger requests = new AtomicInteger();
  private final WebSocket socket;
  private JsonObject welcome;

  private ChatClient(URI endpoint, String token, Map<String, String> headers) throws Exception {
    URI withToken =
        URI.create(endpoint + "?access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(WAIT);
    headers.forEach(builder::header);
    socket = builder.buildAsync(withToken, new Listener()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Opens a connection without waiting for anything the server sends. */
  static ChatClient open(URI endpoint, String token) throws Exception {
    return new ChatClient(endpoint, token, Map.of());
  }

  /**
   * Connects and waits for the welcome, then for the answer to a ping: the node handles a
   * connection's frames in order, so once the pong is back the connection is fully registered.
   */
  static ChatClient connect(URI endpoint, String token) throws Exception {
    return connect(endpoint, token, Map.of());
  }

  static ChatClient connect(URI endpoint, String token, Map<String, String> headers)
      throws Exception {
    ChatClient client = new ChatClient(endpoint, token, headers);
    try {
      client.welcome = client.awaitFrame(type("welcome"));
      client.send(Json.createObjectBuilder().add("type", "ping").build().toString());
      client.awaitFrame(type("pong"));
      return client;
    } catch (RuntimeException | Error e) {
      client.close();
      throw e;
    }
  }

  JsonObject welcome() {
    return welcome;
  }

  JsonObject user() {
    return welcome.getJsonObject("user");
  }

  long userId() {
    return user().getJsonNumber("id").longValue();
  }

  String username() {
    return user().getString("username");
  }

  synchronized void send(String text) {
    socket.sendText(text, true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
  }

  /** A fresh request id, unique across clients. */
  String nextId() {
    return idPrefix + requests.incrementAndGet();
  }

  /** Sends a request and returns its answer, the {@code ack} or {@code error} with its id. */
  JsonObject request(String type, JsonObjectBuilder fields) {
    return requestWithId(nextId(), type, fields);
  }

  JsonObject requestWithId(String id, String type, JsonObjectBuilder fields) {
    send(fields.add("type", type).add("id", id).build().toString());
    return awaitFrame(
        f -> id.equals(f.getString("id", null)) && (isType(f, "ack") || isType(f, "error")));
  }

  /** Sends a request that must be acknowledged, and returns the ack. */
  JsonObject ok(String type, JsonObjectBuilder fields) {
    JsonObject answer = request(type, fields);
    assertEquals("ack", answer.getString("type"), () -> type + " was refused: " + answer);
    return answer;
  }

  /** Sends a request that must be refused with {@code code}, and returns the error. */
  JsonObject refused(String type, JsonObjectBuilder fields, String code) {
    JsonObject answer = request(type, fields);
    assertError(answer, code);
    return answer;
  }

  static void assertError(JsonObject frame, String code) {
    assertEquals("error", frame.getString("type"), frame::toString);
    assertEquals(code, frame.getString("code"), frame::toString);
    assertFalse(frame.getString("message").isBlank(), frame::toString);
  }

  JsonObject awaitFrame(Predicate<JsonObject> match) {
    return awaitFrame(match, WAIT);
  }

  /** Takes the first frame, received or still to come within {@code timeout}, that matches. */
  JsonObject awaitFrame(Predicate<JsonObject> match, Duration timeout) {
    synchronized (passedOver) {
      for (int i = 0; i < passedOver.size(); i++) {
        if (match.test(passedOver.get(i))) {
          return passedOver.remove(i);
        }
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        JsonObject frame = left > 0 ? incoming.poll(left, TimeUnit.NANOSECONDS) : null;
        if (frame == null) {
          throw new AssertionError(
              "no matching frame within "
                  + timeout
                  + (closeCode.isDone() ? " (closed: " + closeCode.getNow(null) + ")" : "")
                  + "; passed over: "
                  + passedOver);
        }
        if (match.test(frame)) {
          return frame;
        }
        synchronized (passedOver) {
          passedOver.add(frame);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * Whether a matching frame has arrived so far (without waiting). Tests assert that something was
   * not delivered by first awaiting a later frame that the server sends after it would have.
   */
  boolean hasReceived(Predicate<JsonObject> match) {
    synchronized (passedOver) {
      incoming.drainTo(passedOver);
      return passedOver.stream().anyMatch(match);
    }
  }

  /** The close code the server ended the connection with, waiting up to {@code timeout}. */
  int awaitClose(Duration timeout) throws Exception {
    try {
      return closeCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the connection was not closed within " + timeout, e);
    }
  }

  boolean isOpen() {
    return !closeCode.isDone() && !socket.isInputClosed();
  }

  /**
   * Signs out: closes with 4000 (the user is gone, no grace period) and waits for the server's
   * close frame, so that the node has seen it.
   */
  @Override
  public void close() {
    try {
      if (!socket.isOutputClosed()) {
        socket.sendClose(SIGNED_OUT, "bye").get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Already failed or closed without a handshake: abort below.
    } finally {
      socket.abort();
    }
  }

  /** Drops the TCP connection without a close frame, as a network failure would (1006). */
  void drop() {
    socket.abort();
  }

  static Predicate<JsonObject> type(String type) {
    return f -> isType(f, type);
  }

  static boolean isType(JsonObject frame, String type) {
    return type.equals(frame.getString("type", null));
  }

  static JsonObjectBuilder fields() {
    return Json.createObjectBuilder();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try (var reader = Json.createReader(new StringReader(partial.toString()))) {
          incoming.add(reader.readObject());
        }
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
