/**
 * End-to-end tests against real processes: a gateway, IM nodes and the shared database, started by
 * {@code bin/parley up} exactly as an operator starts them, and driven over HTTP and WebSocket as
 * the wire contract describes.
 */
package dev.parley.e2e;
