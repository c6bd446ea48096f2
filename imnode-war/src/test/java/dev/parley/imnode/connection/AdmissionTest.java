package dev.parley.imnode.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  void aConfiguredLimitAboveWhatFileDescriptorsAllow_isCappedByThem() {
    Admission a = admission(Integer.MAX_VALUE, 100);
    assertTrue(a.max() < Integer.MAX_VALUE);
  }
}
