package dev.parley.imnode.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LargeRoomsTest {

  private static LargeRooms limits(long announceLimit, int memberPage) {
    LargeRooms large = new LargeRooms();
    large.announceLimit = announceLimit;
    large.memberPage = memberPage;
    return large;
  }

  @Test
  void announces_upToTheLimitInclusive() {
    LargeRooms large = limits(500, 500);
    assertTrue(large.announces(1));
    assertTrue(large.announces(500));
    assertFalse(large.announces(501));
  }

  @Test
  void pageSize_withoutLimit_isTheConfiguredPage() {
    assertEquals(500, limits(500, 500).pageSize(Optional.empty()));
  }

  @Test
  void pageSize_takesALimitFromOneToThePage() {
    LargeRooms large = limits(500, 20);
    assertEquals(1, large.pageSize(Optional.of(1L)));
    assertEquals(20, large.pageSize(Optional.of(20L)));
  }

  @Test
  void pageSize_refusesALimitAboveThePageAsInvalidField() {
    LargeRooms large = limits(500, 20);
    for (long bad : new long[] {0, -1, 21, Long.MAX_VALUE}) {
      ParleyException e =
          assertThrows(ParleyException.class, () -> large.pageSize(Optional.of(bad)));
      assertEquals(ErrorCode.INVALID_FIELD, e.code());
      assertTrue(e.getMessage().contains("1 to 20"), e.getMessage());
    }
  }

  @Test
  void memberPage_isKeptWithinOneToAThousand() {
    assertEquals(1000, limits(500, 5000).memberPage());
    assertEquals(1, limits(500, 0).memberPage());
    assertEquals(1000, limits(500, 5000).pageSize(Optional.of(1000L)));
  }
}
