package dev.parley.imnode.message;

import dev.parley.common.protocol.Conversation;
import dev.parley.common.protocol.UserView;

/** A user's read position in a conversation moved forward to {@code seq}. */
public record ReadAdvanced(
    Conversation conversation, UserView user, long seq, String originConnection) {}
