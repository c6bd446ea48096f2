package dev.parley.gateway.routing;

import dev.parley.common.node.NodeInfo;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code /api/route} and {@code /api/nodes}, for signed-in users. */
@Path("")
@RequestScoped
@RolesAllowed("user")
@Produces(MediaType.APPLICATION_JSON)
public class RouteResource {

  @Inject NodeSelection selection;

  /** The node to connect to; {@code room} steers the room-affinity strategy. */
  @GET
  @Path("route")
  public Route route(@QueryParam("room") Long room) {
    NodeInfo node = selection.choose(java.util.Optional.ofNullable(room));
    return new Route(node.nodeId(), node.url());
  }

  @GET
  @Path("nodes")
  public List<NodeStatus> nodes() {
    return selection.registeredNodes().stream()
        .map(n -> new NodeStatus(n.nodeId(), n.url(), n.connections(), selection.isHealthy(n)))
        .toList();
  }

  /** Where a client should connect. */
  public record Route(String nodeId, String url) {}

  /** A node as {@code /api/nodes} lists it. */
  public record NodeStatus(String nodeId, String url, int connections, boolean healthy) {}
}
