/**
 * The gateway's HTTP surface as a whole: the JAX-RS application, the one mapping from {@link
 * dev.parley.common.protocol.ErrorCode} to HTTP responses, and the JSON error pages for what the
 * container itself refuses.
 */
package dev.parley.gateway.web;
