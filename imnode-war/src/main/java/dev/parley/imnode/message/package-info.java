/**
 * Sending and reading messages: who may write to or read a conversation, appending with
 * de-duplication of retried sends, history, and typing notices. Accepted messages are announced as
 * {@link dev.parley.imnode.message.MessageAccepted} for delivery, only after they are stored.
 */
package dev.parley.imnode.message;
