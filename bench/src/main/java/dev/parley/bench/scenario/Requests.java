package dev.parley.bench.scenario;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Requests awaiting their {@code ack} or {@code error}, by request id. */
final class Requests {

  private final Map<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();

  /** Sends {@code type} with extra JSON fields (without braces) and returns its answer. */
  CompletableFuture<String> send(Member m, String type, String fields) {
    String id = m.nextId();
    CompletableFuture<String> answer = new CompletableFuture<>();
    pending.put(id, answer);
    String frame =
        "{\"type\":\""
            + type
            + "\",\"id\":\""
            + id
            + "\""
            + (fields.isEmpty() ? "" : "," + fields)
            + "}";
    if (!m.send(frame)) {
      pending.remove(id);
      answer.completeExceptionally(new IllegalStateException("member " + m.index + " is offline"));
    }
    return answer;
  }

  /** Completes the request an {@code ack}/{@code error} answers; false when it is not ours. */
  boolean answer(String frame) {
    String id = Frames.string(frame, "id");
    CompletableFuture<String> f = id == null ? null : pending.remove(id);
    if (f == null) {
      return false;
    }
    f.complete(frame);
    return true;
  }

  static boolean isAck(String frame) {
    return "ack".equals(Frames.type(frame));
  }
}
