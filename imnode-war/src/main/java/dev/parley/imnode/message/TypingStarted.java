package dev.parley.imnode.message;

import dev.parley.common.protocol.Conversation;
import dev.parley.common.protocol.UserView;

/** A user is typing in a conversation. */
public record TypingStarted(Conversation conversation, UserView user, String originConnection) {}
