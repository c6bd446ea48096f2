/**
 * The WebSocket boundary of a node: the handshake filter that checks the token and the Origin
 * before the upgrade, the {@code /ws} endpoint, and the dispatcher that decodes each frame, calls
 * the feature it names and turns every failure into exactly one {@code error} frame. No business
 * logic lives here.
 */
package dev.parley.imnode.endpoint;
