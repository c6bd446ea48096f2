package dev.parley.imnode.connection;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.LongAdder;

/** Counts connections closed because their outbound queue overflowed. */
@ApplicationScoped
public class SlowConsumers {

  private final LongAdder closed = new LongAdder();

  void record() {
    closed.increment();
  }

  public long closedSoFar() {
    return closed.sum();
  }
}
