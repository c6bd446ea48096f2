package dev.parley.common.room;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** That a user is a member of a room, and since when. */
@Entity
@Table(name = "memberships", indexes = @Index(name = "ix_memberships_user", columnList = "user_id"))
@IdClass(Membership.Key.class)
public class Membership {

  @Id
  @Column(name = "room_id")
  private long roomId;

  @Id
  @Column(name = "user_id")
  private long userId;

  @Column(name = "joined_at", nullable = false)
  private long joinedAt; // epoch milliseconds: portable and precise on H2 and MySQL

  protected Membership() {}

  Membership(long roomId, long userId) {
    this.roomId = roomId;
    this.userId = userId;
    this.joinedAt = Instant.now().toEpochMilli();
  }

  public long roomId() {
    return roomId;
  }

  public long userId() {
    return userId;
  }

  /** The composite key of a membership. */
  public record Key(long roomId, long userId) implements Serializable {
    public Key() {
      this(0, 0);
    }
  }
}
