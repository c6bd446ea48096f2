/**
 * Which IM nodes exist and how loaded they are. Nodes announce themselves in a {@link
 * dev.parley.common.node.NodeRegistry}; the gateway reads it to route clients. Two implementations,
 * chosen by {@code parley.node.registry}: a map in the Payara/Hazelcast cluster (the embedded
 * profile) and Consul service instances with TTL checks.
 */
package dev.parley.common.node;
