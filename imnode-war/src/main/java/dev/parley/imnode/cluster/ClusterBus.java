package dev.parley.imnode.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.util.UUID;

/**
 * Carries pushes between nodes on one Hazelcast topic. The topic delivers each publisher's messages
 * in order, on one listener thread per node, so a node hands pushes to delivery in the order every
 * single publisher sent them. Payloads are JSON text: no application class crosses Hazelcast's
 * class loaders.
 */
@ApplicationScoped
public class ClusterBus {

  private static final System.Logger LOG = System.getLogger(ClusterBus.class.getName());
  static final String TOPIC = "parley.push";

  @Resource(lookup = "payara/Hazelcast")
  HazelcastInstance hazelcast;

  @Inject Event<PushArrived> arrived;

  private ITopic<String> topic;
  private UUID registration;

  void start(
      @Observes @Initialized(jakarta.enterprise.context.ApplicationScoped.class) Object ignored) {
    topic = hazelcast.getTopic(TOPIC);
    registration = topic.addMessageListener(message -> receive(message.getMessageObject()));
    LOG.log(Level.INFO, "listening for pushes on cluster topic {0}", TOPIC);
  }

  public void publish(Push push) {
    topic.publish(push.encode());
  }

  private void receive(String payload) {
    try {
      arrived.fire(new PushArrived(Push.decode(payload)));
    } catch (RuntimeException e) {
      // A bad push must not stop the listener thread that carries every later one.
      LOG.log(Level.ERROR, "could not deliver a push from the cluster", e);
    }
  }

  @PreDestroy
  void stop() {
    if (topic != null && registration != null) {
      try {
        topic.removeMessageListener(registration);
      } catch (RuntimeException e) {
        LOG.log(Level.DEBUG, "topic listener already gone: {0}", e.toString());
      }
    }
  }
}
