package dev.parley.common.message;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;

/** How far one user has read in one conversation. */
@Entity
@Table(name = "read_positions")
@IdClass(ReadPosition.Key.class)
public class ReadPosition {

  @Id
  @Column(name = "user_id")
  private long userId;

  @Id
  @Column(length = 64)
  private String conversation;

  @Column(name = "read_seq", nullable = false)
  private long readSeq;

  protected ReadPosition() {}

  ReadPosition(long userId, String conversation, long readSeq) {
    this.userId = userId;
    this.conversation = conversation;
    this.readSeq = readSeq;
  }

  public long readSeq() {
    return readSeq;
  }

  /** Moves the position forward; never back. True when it moved. */
  boolean advanceTo(long seq) {
    if (seq <= readSeq) {
      return false;
    }
    readSeq = seq;
    return true;
  }

  /** The composite key. */
  public record Key(long userId, String conversation) implements Serializable {
    public Key() {
      this(0, null);
    }
  }
}
