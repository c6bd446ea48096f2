package dev.parley.imnode.node;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The loop of a node thread that works in rounds (group commit): it takes everything queued since
 * its last round, up to a round's worth, and hands it on together; a round starts as soon as one
 * item is queued, so a lone item waits for no one. Used by the message writer and the connect
 * set-up.
 */
public final class Rounds {

  private static final System.Logger LOG = System.getLogger(Rounds.class.getName());

  private Rounds() {}

  /**
   * Starts the thread named {@code name} that runs {@code loop}, made by the container's thread
   * factory so that it carries the application's context (transactions and data sources work on it
   * as on a request thread).
   */
  public static Thread start(ThreadFactory threads, String name, Runnable loop) {
    Thread thread = threads.newThread(loop);
    thread.setName(name);
    thread.start();
    return thread;
  }

  /**
   * Runs rounds of at most {@code max} items from {@code queue} while {@code more} holds (checked
   * at least every 250 ms), until interrupted. {@code round} must settle every item it is given;
   * what it throws is logged as a bug and the loop goes on.
   */
  public static <T> void run(
      BlockingQueue<T> queue, int max, BooleanSupplier more, Consumer<List<T>> round, String what) {
    List<T> batch = new ArrayList<>(max);
    while (more.getAsBoolean()) {
      try {
        T first = queue.poll(250, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, max - 1);
        round.accept(List.copyOf(batch));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, what + " failed", e);
      } finally {
        batch.clear();
      }
    }
  }
}
