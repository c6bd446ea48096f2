package dev.parley.imnode.node;

import com.hazelcast.core.HazelcastInstance;
import dev.parley.imnode.cluster.ClusterBus;
import dev.parley.imnode.connection.Admission;
import dev.parley.imnode.connection.Connections;
import dev.parley.imnode.connection.Outbound;
import dev.parley.imnode.connection.SlowConsumers;
import dev.parley.imnode.endpoint.Arrivals;
import dev.parley.imnode.message.MessageWriter;
import dev.parley.imnode.presence.Departures;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the node is announced in the registry, its link to the cluster is up and it admits
 * connections ({@link Admission}): the gateway probes this and routes no client to a node that is
 * not ready. Its data also carries the node's live connection count, how many pushes it has
 * received from and published to the cluster (and compressed), how many connects it set up in how
 * many rounds ({@link Arrivals}), how many closes it took out of presence in how many rounds and
 * how many wait for their grace period ({@link Departures}), and what its message writer has
 * stored, in how many batches, and refused; and how many frames its socket writers have written, in
 * how many writes, how many connections wait for a writer, and how many were closed as too slow.
 */
@Readiness
@ApplicationScoped
public class NodeReadiness implements HealthCheck {

  @Inject NodeAnnouncer announcer;
  @Inject NodeIdentity identity;
  @Inject Connections connections;
  @Inject Admission admission;
  @Inject ClusterBus bus;
  @Inject MessageWriter writer;
  @Inject Outbound outbound;
  @Inject SlowConsumers slowConsumers;
  @Inject Arrivals arrivals;
  @Inject Departures departures;

  @Resource(lookup = "payara/Hazelcast")
  HazelcastInstance hazelcast;

  @Override
  public HealthCheckResponse call() {
    MessageWriter.Stats stored = writer.stats();
    return HealthCheckResponse.named("parley-node")
        .status(
            announcer.isAnnounced()
                && hazelcast.getLifecycleService().isRunning()
                && !admission.isFull())
        .withData("nodeId", identity.nodeId())
        .withData("connections", connections.count())
        .withData("maxConnections", admission.max())
        .withData("refusedHandshakes", admission.refused())
        .withData("connectsSetUp", arrivals.connects())
        .withData("connectRounds", arrivals.rounds())
        .withData("departuresSettled", departures.settled())
        .withData("departureRounds", departures.rounds())
        .withData("departuresWaiting", departures.waiting())
        .withData("pushesReceived", bus.received())
        .withData("pushesPublished", bus.published())
        .withData("pushesFailed", bus.failedPublishes())
        .withData("pushesCompressed", bus.compressed())
        .withData("pushBundles", bus.bundles())
        .withData("messagesStored", stored.messages())
        .withData("messageBatches", stored.batches())
        .withData("messagesStoredOneByOne", stored.oneByOne())
        .withData("sendsRefusedBusy", stored.refused())
        .withData("sendsQueued", stored.queued())
        .withData("framesWritten", outbound.frames())
        .withData("socketWrites", outbound.writes())
        .withData("writerBacklog", outbound.backlog())
        .withData("slowConsumersClosed", slowConsumers.closedSoFar())
        .build();
  }
}
