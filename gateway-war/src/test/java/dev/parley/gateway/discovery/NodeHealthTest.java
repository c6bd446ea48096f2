package dev.parley.gateway.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import org.junit.jupiter.api.Test;

class NodeHealthTest {

  @Test
  void readinessUri_isTheServersHealthEndpoint() {
    assertEquals(
        URI.create("http://127.0.0.1:8081/health/ready"),
        NodeHealth.readinessUri("ws://127.0.0.1:8081/ws"));
    assertEquals(
        URI.create("https://im.example.com/health/ready"),
        NodeHealth.readinessUri("wss://im.example.com/chat/ws"));
  }

  @Test
  void readinessUri_refusesANonWebSocketUrl() {
    assertThrows(IllegalArgumentException.class, () -> NodeHealth.readinessUri("http://x:1/ws"));
  }
}
