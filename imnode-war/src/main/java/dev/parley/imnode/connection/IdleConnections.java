package dev.parley.imnode.connection;

import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Closes connections whose client has sent no frame for the heartbeat time ({@code
 * parley.imnode.heartbeat}, announced in {@code welcome}) with 1001, within five seconds of it. One
 * sweep over all connections instead of the container's idle timeout: that one schedules a task per
 * connection and re-schedules it on every frame, and the cancelled tasks stay queued until their
 * time comes — kilobytes per connection for nothing.
 */
@Singleton
public class IdleConnections {

  /** Close code for a client that stopped sending heartbeats. */
  public static final int CLOSE_IDLE = 1001;

  @Inject Connections connections;

  @Inject
  @ConfigProperty(name = "parley.imnode.heartbeat", defaultValue = "PT60S")
  Duration heartbeat;

  @Schedule(second = "*/5", minute = "*", hour = "*", persistent = false)
  void sweep() {
    long now = System.nanoTime();
    long limit = heartbeat.toNanos();
    for (Connection c : connections.all()) {
      if (c.silentNanos(now) > limit) {
        c.close(CLOSE_IDLE, "No frame for " + heartbeat.toSeconds() + " s");
      }
    }
  }
}
