package dev.parley.imnode.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AdmissionTest {

  private int open;
  private Connections connections;

  private Admission admission(int configuredMax, int fdReserve) {
    Admission a = new Admission();
    connections =
        new Connections() {
          @Override
          public int count() {
            return open;
          }
        };
    a.connections = connections;
    a.configuredMax = configuredMax;
    a.fdReserve = fdReserve;
    a.init();
    return a;
  }

  @Test
  void admitsUpToTheConfiguredLimitThenRefusesAndCounts() {
    Admission a = admission(3, 10);
    open = 2;
    assertTrue(a.admit());
    open = 3;
    assertTrue(a.isFull());
    assertFalse(a.admit());
    assertFalse(a.admit());
    assertEquals(2, a.refused());
    open = 2;
    assertTrue(a.admit(), "a closed connection frees a place");
  }

  @Test
  void aDrainingNode_admitsNobody() {
    Admission a = admission(3, 10);
    open = 0;
    assertTrue(a.admit());
    connections.beginDrain();
    assertTrue(a.isFull());
    assertFalse(a.admit());
    assertEquals(1, a.refused());
  }

  @Test
  void withoutAConfiguredLimit_staysBelowTheOpenFileLimit() {
    long fdLimit =
        ((com.sun.management.UnixOperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getMaxFileDescriptorCount();
    Admission a = admission(0, 100);
    assertEquals(Math.min(Integer.MAX_VALUE, fdLimit - 100), a.max());
  }

  @Test
  void shortOfFileDescriptors_refuses_andABurstCountsThemOnce() throws Exception {
    AtomicInteger listings = new AtomicInteger();
    CountDownLatch inListing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Admission a =
        new Admission() {
          @Override
          long maxFileDescriptors() {
            return 10_000;
          }

          @Override
          long openFileDescriptors() {
            listings.incrementAndGet();
            inListing.countDown();
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return 9_990; // 10 free, under half the reserve of 100
          }
        };
    a.connections = new Connections();
    a.configuredMax = 0;
    a.fdReserve = 100;
    a.init();
    ExecutorService burst = Executors.newFixedThreadPool(8);
    try {
      Future<Boolean> first = burst.submit(a::isFull);
      assertTrue(inListing.await(10, TimeUnit.SECONDS));
      // While one caller lists the descriptors, the others do not list them too.
      List<Future<Boolean>> others = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        others.add(burst.submit(a::isFull));
      }
      for (Future<Boolean> f : others) {
        f.get(10, TimeUnit.SECONDS);
      }
      assertEquals(1, listings.get());
      release.countDown();
      assertTrue(first.get(10, TimeUnit.SECONDS), "10 free descriptors < half the reserve");
      assertTrue(a.isFull(), "the count is kept for the next callers");
      assertFalse(a.admit());
    } finally {
      burst.shutdownNow();
    }
  }

  @Test
  void aConfiguredLimitAboveWhatFileDescriptorsAllow_isCappedByThem() {
    Admission a = admission(Integer.MAX_VALUE, 100);
    assertTrue(a.max() < Integer.MAX_VALUE);
  }
}
