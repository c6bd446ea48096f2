/**
 * Which registered nodes really accept clients. The registry says a node is alive; {@link
 * dev.parley.gateway.discovery.NodeHealth} probes each one's readiness endpoint on a timer and
 * keeps the ones that fail out of routing until they answer again.
 */
package dev.parley.gateway.discovery;
