/**
 * Stored messages and the per-conversation sequence they are numbered by. {@link
 * dev.parley.common.message.MessageStore} appends a message and gives it the next seq in one
 * transaction, de-duplicating retried sends by sender and client id.
 */
package dev.parley.common.message;
