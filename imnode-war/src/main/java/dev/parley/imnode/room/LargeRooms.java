package dev.parley.imnode.room;

import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What changes for a room with many members, so that building and using one costs O(n), not O(n²).
 * In a room of more than {@code parley.imnode.room.announce-limit} members, joins and leaves are
 * told only to the user's own connections, and its members are not each other's contacts for
 * presence. Member lists ({@code room.join} ack, {@code room.members}) of every room come in pages
 * of at most {@code parley.imnode.room.member-page} members.
 */
@ApplicationScoped
public class LargeRooms {

  /** The largest member page a node serves, whatever it is configured with. */
  static final int MAX_MEMBER_PAGE = 1000;

  @Inject
  @ConfigProperty(name = "parley.imnode.room.announce-limit", defaultValue = "500")
  long announceLimit;

  @Inject
  @ConfigProperty(name = "parley.imnode.room.member-page", defaultValue = "500")
  int memberPage;

  /** Whether a room of {@code memberCount} members hears of each join and leave. */
  public boolean announces(long memberCount) {
    return memberCount <= announceLimit;
  }

  /** The largest room whose members are each other's contacts for presence. */
  public long announceLimit() {
    return announceLimit;
  }

  /** The configured page size, kept within 1 to {@value #MAX_MEMBER_PAGE}. */
  public int memberPage() {
    return Math.max(1, Math.min(MAX_MEMBER_PAGE, memberPage));
  }

  /** The size of the page a client asks for; refused unless 1 to {@link #memberPage()}. */
  public int pageSize(Optional<Long> limit) {
    int page = memberPage();
    if (limit.isEmpty()) {
      return page;
    }
    long asked = limit.get();
    if (asked < 1 || asked > page) {
      throw new ParleyException(ErrorCode.INVALID_FIELD, "'limit' must be 1 to " + page);
    }
    return (int) asked;
  }
}
