package dev.parley.common.room;

import dev.parley.common.protocol.RoomView;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A named group conversation that users join and leave. */
@Entity
@Table(name = "rooms")
public class Room {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(nullable = false, length = 64)
  private String name;

  @Column(name = "created_by", nullable = false)
  private long createdBy;

  @Column(name = "created_at", nullable = false)
  private long createdAt; // epoch milliseconds: portable and precise on H2 and MySQL

  /** Kept by {@link RoomStore} in the transaction of every join and leave. */
  @Column(name = "member_count", nullable = false)
  private int memberCount;

  protected Room() {}

  Room(String name, long createdBy) {
    this.name = name;
    this.createdBy = createdBy;
    this.createdAt = Instant.now().toEpochMilli();
    this.memberCount = 1; // the creator
  }

  public long id() {
    return id;
  }

  public String name() {
    return name;
  }

  public long createdBy() {
    return createdBy;
  }

  public RoomView view() {
    return new RoomView(id, name);
  }
}
