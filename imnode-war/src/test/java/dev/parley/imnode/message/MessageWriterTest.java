package dev.parley.imnode.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.message.Message;
import dev.parley.common.message.MessageStore;
import dev.parley.common.protocol.Conversation;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.MessageKind;
import dev.parley.common.protocol.ParleyException;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The writer around a store that records what it is asked (a fake: the store has its own ITs). */
class MessageWriterTest {

  private static final Conversation ROOM = Conversation.ofRoom(1);

  /** Records the batches; the first one waits for {@link #release} when {@link #hold} is set. */
  static class RecordingStore extends MessageStore {
    final List<List<Draft>> batches = Collections.synchronizedList(new ArrayList<>());
    final List<Draft> oneByOne = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch firstBatchStarted = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean hold;
    volatile boolean failBatches;

    @Override
    public List<Message> appendAll(List<Draft> drafts) {
      batches.add(drafts);
      firstBatchStarted.countDown();
      if (hold) {
        await(release);
      }
      if (failBatches) {
        throw new PersistenceBatchExceptionForTest();
      }
      return drafts.stream().map(d -> (Message) new StoredMessage(d.clientId())).toList();
    }

    @Override
    public Appended append(
        Conversation conversation,
        long senderId,
        String clientId,
        MessageKind kind,
        String body,
        Optional<String> fileId) {
      oneByOne.add(new Draft(conversation, senderId, clientId, kind, body, fileId, false));
      if (clientId.startsWith("broken")) {
        throw new IllegalStateException("no sequence counter");
      }
      return new Appended(new StoredMessage(clientId), !clientId.startsWith("retry"));
    }
  }

  /** A message told apart by its client id (the only field these tests read). */
  static class StoredMessage extends Message {
    final String clientId;

    StoredMessage(String clientId) {
      this.clientId = clientId;
    }

    @Override
    public String clientId() {
      return clientId;
    }
  }

  static class PersistenceBatchExceptionForTest extends RuntimeException {}

  private final RecordingStore store = new RecordingStore();
  private final java.util.concurrent.atomic.AtomicLong now =
      new java.util.concurrent.atomic.AtomicLong();
  private MessageWriter writer;

  private MessageWriter writer(int capacity, int batchMax) {
    writer = new MessageWriter();
    writer.store = store;
    writer.threads = new PlainThreads();
    writer.queueCapacity = capacity;
    writer.batchMax = batchMax;
    writer.maxWait = java.time.Duration.ofSeconds(2);
    writer.clock = () -> now.get();
    writer.start(null);
    return writer;
  }

  @AfterEach
  void stop() {
    store.release.countDown();
    if (writer != null) {
      writer.stop();
    }
  }

  private static MessageStore.Draft draft(String clientId) {
    return new MessageStore.Draft(
        ROOM, 7, clientId, MessageKind.TEXT, "hi", Optional.empty(), false);
  }

  @Test
  void sendsQueuedWhileAWriteRuns_goTogetherInTheNextBatch_inOrder() throws Exception {
    writer(100, 256);
    store.hold = true;
    CompletableFuture<MessageStore.Appended> first =
        writer.submit(draft("a")).toCompletableFuture();
    assertTrue(store.firstBatchStarted.await(5, TimeUnit.SECONDS));
    List<CompletableFuture<MessageStore.Appended>> later = new ArrayList<>();
    for (String id : List.of("b", "c", "d", "e")) {
      later.add(writer.submit(draft(id)).toCompletableFuture());
    }
    assertFalse(first.isDone(), "acknowledged before it was stored");
    store.release.countDown();

    assertEquals("a", first.get(5, TimeUnit.SECONDS).message().clientId());
    for (int i = 0; i < later.size(); i++) {
      MessageStore.Appended a = later.get(i).get(5, TimeUnit.SECONDS);
      assertEquals(List.of("b", "c", "d", "e").get(i), a.message().clientId());
      assertTrue(a.isNew());
    }
    assertEquals(2, store.batches.size());
    assertEquals(
        List.of("b", "c", "d", "e"),
        store.batches.get(1).stream().map(MessageStore.Draft::clientId).toList());
    assertEquals(new MessageWriter.Stats(2, 5, 0, 0, 0), writer.stats());
  }

  @Test
  void aBatchIsNeverLargerThanTheMaximum() throws Exception {
    writer(100, 3);
    store.hold = true;
    CompletableFuture<?> first = writer.submit(draft("a")).toCompletableFuture();
    assertTrue(store.firstBatchStarted.await(5, TimeUnit.SECONDS));
    List<CompletableFuture<MessageStore.Appended>> later = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      later.add(writer.submit(draft("m" + i)).toCompletableFuture());
    }
    store.release.countDown();
    first.get(5, TimeUnit.SECONDS);
    CompletableFuture.allOf(later.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    assertEquals(List.of(1, 3, 3, 1), store.batches.stream().map(List::size).toList());
  }

  @Test
  void aFailedBatch_isStoredOneByOne_andEachDraftGetsItsOwnOutcome() throws Exception {
    writer(100, 256);
    store.failBatches = true;
    store.hold = true;
    CompletableFuture<?> first = writer.submit(draft("a")).toCompletableFuture();
    assertTrue(store.firstBatchStarted.await(5, TimeUnit.SECONDS));
    CompletableFuture<MessageStore.Appended> retry =
        writer.submit(draft("retry-1")).toCompletableFuture();
    CompletableFuture<MessageStore.Appended> broken =
        writer.submit(draft("broken-1")).toCompletableFuture();
    CompletableFuture<MessageStore.Appended> fine =
        writer.submit(draft("fine")).toCompletableFuture();
    store.release.countDown();

    first.get(5, TimeUnit.SECONDS);
    assertFalse(retry.get(5, TimeUnit.SECONDS).isNew(), "a retry stores nothing new");
    assertTrue(fine.get(5, TimeUnit.SECONDS).isNew());
    CompletionException failed = assertThrows(CompletionException.class, broken::join);
    assertTrue(failed.getCause() instanceof IllegalStateException);
    assertEquals(
        List.of("a", "retry-1", "broken-1", "fine"),
        store.oneByOne.stream().map(MessageStore.Draft::clientId).toList());
  }

  @Test
  void aFullQueue_refusesWithBusy_andCountsIt() throws Exception {
    writer(2, 256);
    store.hold = true;
    writer.submit(draft("a"));
    assertTrue(store.firstBatchStarted.await(5, TimeUnit.SECONDS));
    writer.submit(draft("b"));
    writer.submit(draft("c"));
    ParleyException busy = assertThrows(ParleyException.class, () -> writer.submit(draft("d")));
    assertEquals(ErrorCode.BUSY, busy.code());
    assertEquals(1, writer.stats().refused());
    assertEquals(2, writer.stats().queued());
  }

  @Test
  void whileTheOldestQueuedSendHasWaitedTooLong_newSendsAreRefusedWithBusy() throws Exception {
    writer(100, 256);
    store.hold = true;
    CompletableFuture<?> first = writer.submit(draft("a")).toCompletableFuture();
    assertTrue(store.firstBatchStarted.await(5, TimeUnit.SECONDS));
    CompletableFuture<?> waiting = writer.submit(draft("b")).toCompletableFuture();
    now.addAndGet(java.time.Duration.ofMillis(1500).toNanos());
    writer.submit(draft("c")); // "b" has waited 1.5 s: still admitted
    now.addAndGet(java.time.Duration.ofMillis(600).toNanos());
    ParleyException busy = assertThrows(ParleyException.class, () -> writer.submit(draft("d")));
    assertEquals(ErrorCode.BUSY, busy.code());
    assertEquals(1, writer.stats().refused());
    store.release.countDown();
    first.get(5, TimeUnit.SECONDS);
    waiting.get(5, TimeUnit.SECONDS);
    assertEquals(0, writer.stats().queued(), "b and c were taken as one batch");
    // Nothing waits any more: sends are admitted again, whatever the clock says.
    writer.submit(draft("e")).toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void stopping_storesWhatWasQueued_thenRefuses() throws Exception {
    writer(100, 256);
    store.hold = true;
    CompletableFuture<?> first = writer.submit(draft("a")).toCompletableFuture();
    assertTrue(store.firstBatchStarted.await(5, TimeUnit.SECONDS));
    CompletableFuture<MessageStore.Appended> queued =
        writer.submit(draft("b")).toCompletableFuture();
    Thread stopper = new Thread(writer::stop);
    stopper.start();
    store.release.countDown();
    stopper.join(TimeUnit.SECONDS.toMillis(20));
    assertFalse(stopper.isAlive());
    first.get(5, TimeUnit.SECONDS);
    MessageStore.Appended stored = queued.get(5, TimeUnit.SECONDS);
    assertEquals("b", stored.message().clientId(), "what was queued is stored before stopping");
    assertTrue(stored.isNew());
    assertEquals(
        ErrorCode.BUSY,
        assertThrows(ParleyException.class, () -> writer.submit(draft("c"))).code());
    writer = null;
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Plain threads: there is no container in a unit test. */
  static class PlainThreads implements ManagedThreadFactory {
    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r);
      t.setDaemon(true);
      return t;
    }

    @Override
    public ForkJoinWorkerThread newThread(ForkJoinPool pool) {
      return ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
    }
  }
}
