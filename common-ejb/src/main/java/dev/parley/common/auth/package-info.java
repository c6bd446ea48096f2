/**
 * Verifying the tokens clients present: which issuers are trusted, where their key sets are, and
 * what a verified token says about its holder. The gateway issues tokens; IM nodes verify them
 * here, before a WebSocket upgrade.
 */
package dev.parley.common.auth;
