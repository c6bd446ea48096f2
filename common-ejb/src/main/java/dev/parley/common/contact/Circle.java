package dev.parley.common.contact;

import java.util.Set;

/**
 * What a connecting user's node needs to know of them, read in one query: the rooms they are a
 * member of (their connection follows each), and their contacts (who hears that they came online).
 */
public record Circle(Set<Long> roomIds, Set<Long> contacts) {

  public Circle {
    roomIds = Set.copyOf(roomIds);
    contacts = Set.copyOf(contacts);
  }
}
