package dev.parley.imnode.message;

import dev.parley.common.message.Message;
import dev.parley.common.message.MessageStore;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import dev.parley.imnode.node.Rounds;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.TransactionalException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Stores the node's accepted sends in batches (group commit): one writer thread takes everything
 * queued since its last transaction, up to {@code parley.imnode.message.batch-max}, and stores it
 * with {@link MessageStore#appendAll}, so that the database sees one transaction per batch instead
 * of one per message, and the frame threads never wait for it.
 *
 * <p>Ordering: drafts are stored in the order {@link #submit} took them (a connection's sends keep
 * their order in a conversation), and their results complete in that order on one announcing
 * thread, so that a conversation's messages are announced in seq order. A full queue refuses the
 * send with {@code BUSY}: the client retries it with the same id, which stores nothing twice.
 */
@ApplicationScoped
public class MessageWriter {

  private static final System.Logger LOG = System.getLogger(MessageWriter.class.getName());

  @Inject MessageStore store;

  @Resource ManagedThreadFactory threads;

  @Inject
  @ConfigProperty(name = "parley.imnode.message.batch-max", defaultValue = "256")
  int batchMax;

  @Inject
  @ConfigProperty(name = "parley.imnode.message.queue-capacity", defaultValue = "8192")
  int queueCapacity;

  /**
   * How long a send may wait to be stored: while the oldest queued send has waited longer, new ones
   * are refused with {@code BUSY}, so that under overload an ack comes within about this time (or
   * the client hears {@code BUSY} and retries later) instead of after a queue's worth.
   */
  @Inject
  @ConfigProperty(name = "parley.imnode.message.max-wait", defaultValue = "PT5S")
  Duration maxWait;

  // Nanoseconds; replaced by tests.
  LongSupplier clock = System::nanoTime;

  private record Pending(
      MessageStore.Draft draft, CompletableFuture<MessageStore.Appended> result, long queuedAt) {}

  private BlockingQueue<Pending> queue;
  private ExecutorService announcer;
  private Thread writer;
  private volatile boolean stopping;
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong fallbacks = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();

  /**
   * Starts the writer with the application, so that its thread is made in the application's context
   * (transactions and data sources work on it as on a request thread).
   */
  void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    queue = new ArrayBlockingQueue<>(queueCapacity);
    announcer = Executors.newSingleThreadExecutor(threads);
    writer = Rounds.start(threads, "parley-message-writer", this::run);
  }

  /**
   * Queues a draft for storing; the result completes (on the announcing thread) once it is stored,
   * or exceptionally when it could not be.
   *
   * @throws ParleyException {@code BUSY} when the queue is full, its oldest send has waited longer
   *     than {@code parley.imnode.message.max-wait}, or the node is stopping
   */
  public CompletionStage<MessageStore.Appended> submit(MessageStore.Draft draft) {
    long now = clock.getAsLong();
    Pending pending = new Pending(draft, new CompletableFuture<>(), now);
    Pending oldest = queue.peek();
    boolean late = oldest != null && now - oldest.queuedAt() > maxWait.toNanos();
    if (stopping || late || !queue.offer(pending)) {
      refused.incrementAndGet();
      throw new ParleyException(ErrorCode.BUSY);
    }
    return pending.result();
  }

  /** Counters for the node's status: batches, messages, drafts stored one by one, refusals. */
  public Stats stats() {
    return new Stats(batches.get(), written.get(), fallbacks.get(), refused.get(), queue.size());
  }

  /** What the writer has done since the node started. */
  public record Stats(long batches, long messages, long oneByOne, long refused, int queued) {}

  private void run() {
    // write() settles every draft; on stop the queue is emptied before the loop ends.
    Rounds.run(queue, batchMax, () -> !stopping || !queue.isEmpty(), this::write, "message writer");
    List<Pending> left = new ArrayList<>();
    queue.drainTo(left);
    left.forEach(p -> p.result().completeExceptionally(new ParleyException(ErrorCode.BUSY)));
  }

  private void write(List<Pending> batch) {
    List<MessageStore.Appended> outcomes = new ArrayList<>(batch.size());
    try {
      for (Message m : store.appendAll(batch.stream().map(Pending::draft).toList())) {
        outcomes.add(new MessageStore.Appended(m, true));
      }
      batches.incrementAndGet();
      written.addAndGet(batch.size());
    } catch (RuntimeException e) {
      // A retried send, a lock wait given up, a conversation opened meanwhile: one by one, each
      // draft gets what it alone deserves.
      LOG.log(Level.DEBUG, "batch of {0} stored one by one: {1}", batch.size(), e.toString());
      fallbacks.addAndGet(batch.size());
      outcomes.clear();
      for (Pending p : batch) {
        outcomes.add(appendOne(p.draft()));
      }
    }
    announcer.execute(
        () -> {
          for (int i = 0; i < batch.size(); i++) {
            MessageStore.Appended outcome = outcomes.get(i);
            CompletableFuture<MessageStore.Appended> result = batch.get(i).result();
            if (outcome == null) {
              result.completeExceptionally(new IllegalStateException("message not stored"));
            } else {
              result.complete(outcome);
            }
          }
        });
  }

  /** Stores one draft on its own; null when it could not be stored (logged). */
  private MessageStore.Appended appendOne(MessageStore.Draft d) {
    try {
      if (d.mayOpen()) {
        openQuietly(d);
      }
      return store.append(
          d.conversation(), d.senderId(), d.clientId(), d.kind(), d.body(), d.fileId());
    } catch (PersistenceException | TransactionalException e) {
      // The same send stored meanwhile by a racing retry (on this node or another): one won.
      try {
        return store
            .findByClientId(d.senderId(), d.clientId())
            .map(m -> new MessageStore.Appended(m, false))
            .orElseGet(
                () -> {
                  LOG.log(Level.ERROR, "message not stored", e);
                  return null;
                });
      } catch (RuntimeException again) {
        LOG.log(Level.ERROR, "message not stored", again);
        return null;
      }
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "message not stored", e);
      return null;
    }
  }

  private void openQuietly(MessageStore.Draft d) {
    try {
      store.openConversationNow(d.conversation());
    } catch (PersistenceException | TransactionalException e) {
      // Opened meanwhile by a concurrent first message: the counter exists, which is what counts.
    }
  }

  @PreDestroy
  void stop() {
    stopping = true;
    try {
      writer.join(TimeUnit.SECONDS.toMillis(10));
      announcer.shutdown();
      announcer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
