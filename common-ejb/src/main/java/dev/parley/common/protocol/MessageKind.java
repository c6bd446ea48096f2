package dev.parley.common.protocol;

import java.util.Optional;

/** The kinds of message of the contract; the wire name is the lower-case constant name. */
public enum MessageKind {
  TEXT,
  EMOJI,
  GIF,
  IMAGE,
  FILE;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Optional<MessageKind> fromWire(String name) {
    for (MessageKind kind : values()) {
      if (kind.wireName().equals(name)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
