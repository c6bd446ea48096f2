/**
 * A lean, non-blocking WebSocket client: one selector thread per {@link
 * dev.parley.bench.socket.EventLoop} drives thousands of sockets, each bound to a chosen local
 * loopback address. Only this package touches sockets; scenarios see {@link
 * dev.parley.bench.socket.WebSocket} and a {@link dev.parley.bench.socket.Listener}.
 */
package dev.parley.bench.socket;
