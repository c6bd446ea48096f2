/**
 * The link between IM nodes: {@link dev.parley.imnode.cluster.ClusterBus} publishes {@link
 * dev.parley.imnode.cluster.Push}es on a Hazelcast topic and turns every push that arrives, from
 * any node including this one, into a local {@link dev.parley.imnode.cluster.PushArrived} CDI
 * event. Nothing outside this package sees Hazelcast's topic.
 */
package dev.parley.imnode.cluster;
