package dev.parley.imnode.message;

import dev.parley.common.protocol.MessageView;

/** A message was durably stored with its seq and should reach the conversation's members. */
public record MessageAccepted(MessageView message, String originConnection) {}
