package dev.parley.bench.account;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

/**
 * The gateway's REST API for many users at once: a bounded number of requests in flight over
 * kept-alive HTTP/1.1 connections, the others queued without holding a thread. REST traffic is
 * small next to the WebSocket load, so {@link HttpClient} is fine here.
 */
public final class Gateway {

  /** Retries wait here (one daemon thread for every gateway client of the process). */
  private static final ScheduledExecutorService RETRIES =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "gateway-retries");
            t.setDaemon(true);
            return t;
          });

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final Semaphore inFlight;
  private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicLong failures = new AtomicLong();

  public Gateway(URI base, int concurrency) {
    this.base = base;
    this.inFlight = new Semaphore(concurrency);
  }

  public URI base() {
    return base;
  }

  /** Requests that failed for good (after retries). */
  public long failures() {
    return failures.get();
  }

  /** Signs in (creating when new) users {@code name(0..count-1)}, each routed to a node. */
  public List<Account> signInAll(int count, IntFunction<String> name, Duration timeout)
      throws InterruptedException {
    List<CompletableFuture<Account>> all = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String username = name.apply(i);
      all.add(signIn(username).thenCompose(this::route));
    }
    List<Account> accounts = new ArrayList<>(count);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (CompletableFuture<Account> f : all) {
      try {
        accounts.add(
            f.get(
                Math.max(1, deadline - System.nanoTime()),
                java.util.concurrent.TimeUnit.NANOSECONDS));
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("signing in bench users failed: " + e.getMessage(), e);
      }
    }
    return accounts;
  }

  /** {@code POST /api/auth/login-register}. */
  public CompletableFuture<Account> signIn(String username) {
    String body =
        Json.createObjectBuilder()
            .add("username", username)
            .add("password", "bench-password-" + username)
            .build()
            .toString();
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/api/auth/login-register"))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return call(request, 3)
        .thenApply(
            json ->
                new Account(
                    username,
                    json.getJsonObject("user").getJsonNumber("id").longValue(),
                    json.getString("token"),
                    null));
  }

  /** {@code GET /api/route}: the node this account should connect to. */
  public CompletableFuture<Account> route(Account account) {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/api/route"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + account.token())
            .GET()
            .build();
    return call(request, 5).thenApply(json -> account.routedTo(URI.create(json.getString("url"))));
  }

  /** {@code GET /api/nodes}: the registry as the gateway sees it. */
  public JsonObject nodes(String token) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/api/nodes"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    return Json.createObjectBuilder()
        .add("nodes", Json.createReader(new StringReader(r.body())).readArray())
        .build();
  }

  private CompletableFuture<JsonObject> call(HttpRequest request, int attempts) {
    CompletableFuture<JsonObject> result = new CompletableFuture<>();
    waiting.add(() -> send(request, attempts, result));
    startWaiting();
    return result;
  }

  /**
   * Starts waiting requests while fewer than the limit are in flight. The caller never blocks: a
   * burst of requests (every client of a storm asking for a route at once) waits in a queue, not in
   * a thread each.
   */
  private void startWaiting() {
    while (!waiting.isEmpty() && inFlight.tryAcquire()) {
      Runnable next = waiting.poll();
      if (next == null) {
        inFlight.release();
      } else {
        next.run();
      }
    }
  }

  private void send(HttpRequest request, int attempts, CompletableFuture<JsonObject> result) {
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .whenComplete(
            (r, error) -> {
              inFlight.release();
              startWaiting();
              if (error == null && r.statusCode() / 100 == 2) {
                try {
                  result.complete(Json.createReader(new StringReader(r.body())).readObject());
                } catch (RuntimeException e) {
                  result.completeExceptionally(e);
                }
              } else if (attempts > 1) {
                // 503 while a node is leaving, a reset under a burst: try again shortly.
                RETRIES.schedule(
                    () -> call(request, attempts - 1).whenComplete(Gateway.relay(result)),
                    200,
                    TimeUnit.MILLISECONDS);
              } else {
                failures.incrementAndGet();
                String why = error != null ? error.toString() : r.statusCode() + " " + r.body();
                result.completeExceptionally(
                    new IOException(request.method() + " " + request.uri() + ": " + why));
              }
            });
  }

  private static <T> BiConsumer<T, Throwable> relay(CompletableFuture<T> to) {
    return (value, error) -> {
      if (error != null) {
        to.completeExceptionally(error);
      } else {
        to.complete(value);
      }
    };
  }
}
