/**
 * The only package that touches sockets: a {@link dev.parley.imnode.connection.Connection} wraps
 * one WebSocket session with a bounded, ordered outbound queue, and {@link
 * dev.parley.imnode.connection.Connections} is the node's registry of them. It imports no other
 * feature.
 */
package dev.parley.imnode.connection;
