/**
 * The four scenarios of {@code bin/parley bench} ({@code idle}, {@code fanout}, {@code chat},
 * {@code storm}) and the crowd of bench users they drive: signed in and routed through the gateway,
 * connected from spread loopback addresses, speaking the wire protocol of docs/protocol.md.
 */
package dev.parley.bench.scenario;
