/**
 * The link between IM nodes. {@link dev.parley.imnode.cluster.ClusterBus} publishes {@link
 * dev.parley.imnode.cluster.Push}es on the Hazelcast topics of the nodes they are for (each node
 * listens on one of its own) and turns every push that arrives into a local {@link
 * dev.parley.imnode.cluster.PushArrived} CDI event. {@link dev.parley.imnode.cluster.Interest} is
 * the cluster's conversation-to-node interest map, {@link dev.parley.imnode.cluster.NodeDirectory}
 * the set of live nodes by node id. Nothing outside this package sees Hazelcast's topics and maps.
 */
package dev.parley.imnode.cluster;
