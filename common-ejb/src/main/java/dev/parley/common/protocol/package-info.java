/**
 * The wire contract of protocol v1: client frames decoded from JSON, server frames encoded to JSON,
 * and the one {@link dev.parley.common.protocol.ErrorCode} enum every client-visible error comes
 * from. This package imports nothing else of Parley's, so the load generator and tests can use it
 * as it is.
 */
package dev.parley.common.protocol;
