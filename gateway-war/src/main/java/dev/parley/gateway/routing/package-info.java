/**
 * Choosing the IM node a client connects to, from the live nodes of the node registry. {@link
 * dev.parley.gateway.routing.NodeSelection} is the algorithm (round-robin for now); the resources
 * only speak HTTP.
 */
package dev.parley.gateway.routing;
