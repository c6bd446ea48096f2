package dev.parley.imnode.connection;

import jakarta.websocket.Session;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One {@code sendText} per frame through the standard API: works on any WebSocket server. */
final class TextWire implements Wire {

  private final Session session;

  TextWire(Session session) {
    this.session = session;
  }

  @Override
  public CompletableFuture<?> write(List<OutboundFrame> frames) {
    if (frames.size() != 1) {
      throw new IllegalArgumentException("one frame per write, got " + frames.size());
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    session
        .getAsyncRemote()
        .sendText(
            frames.get(0).text(),
            result -> {
              if (result.isOK()) {
                done.complete(null);
              } else {
                done.completeExceptionally(result.getException());
              }
            });
    return done;
  }

  @Override
  public int gatherBytes() {
    return 0;
  }
}
