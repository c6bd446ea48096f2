/**
 * Which IM nodes exist and how loaded they are. Nodes announce themselves in a {@link
 * dev.parley.common.node.NodeRegistry}; the gateway reads it to route clients. The embedded
 * implementation keeps the registry in the Payara/Hazelcast cluster.
 */
package dev.parley.common.node;
