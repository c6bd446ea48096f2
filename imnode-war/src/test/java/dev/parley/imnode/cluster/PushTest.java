package dev.parley.imnode.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PushTest {

  @Test
  void encodeDecode_keepsEveryField() {
    Push push =
        Push.toConversation("room:4", "{\"type\":\"message\",\"body\":\"\\\"hi\\\"\"}", "c-1")
            .afterJoining(7)
            .thenLeaving(8)
            .closing(4002);
    assertEquals(push, Push.decode(push.encode()));
  }

  @Test
  void encodeDecode_keepsUserAudiences() {
    Push push = Push.toUsers(List.of(3L, 9L), "{}", null);
    Push back = Push.decode(push.encode());
    assertEquals(List.of(3L, 9L), back.users());
    assertEquals(Optional.empty(), back.exceptConnection());
    assertEquals(Optional.empty(), back.conversation());
  }

  @Test
  void encodeDecode_keepsEveryone() {
    assertEquals(true, Push.decode(Push.toEveryone("{}").encode()).everyone());
  }
}
