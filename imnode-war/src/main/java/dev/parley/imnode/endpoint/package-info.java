/**
 * The WebSocket boundary of a node: the handshake policy (Origin, admission, token) and its two
 * gates before the upgrade (the servlet filter, and a Grizzly filter on the standalone listener
 * outside the servlet container), the one {@code /ws} endpoint both listeners serve, and the
 * dispatcher that decodes each frame, calls the feature it names and turns every failure into
 * exactly one {@code error} frame. No business logic lives here.
 */
package dev.parley.imnode.endpoint;
