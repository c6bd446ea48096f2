package dev.parley.common.message;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The last seq given out in one conversation. */
@Entity
@Table(name = "sequence_counters")
public class SequenceCounter {

  @Id
  @Column(length = 64)
  private String conversation;

  @Column(name = "last_seq", nullable = false)
  private long lastSeq;

  protected SequenceCounter() {}

  SequenceCounter(String conversation) {
    this.conversation = conversation;
  }

  long next() {
    return ++lastSeq;
  }

  String conversation() {
    return conversation;
  }

  long lastSeq() {
    return lastSeq;
  }
}
