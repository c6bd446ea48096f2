package dev.parley.bench.scenario;

/**
 * What a scenario does with its members' frames and connection changes. Called on event-loop
 * threads: implementations must be quick and must not block.
 */
interface Traffic {

  /** A server frame other than {@code welcome}. */
  void frame(Member member, String type, String frame);

  /** The member's connection was welcomed (it follows its conversations from now on). */
  default void welcomed(Member member) {}

  /** The member's welcomed connection ended without the bench asking (code: the close code). */
  default void dropped(Member member, int code) {}

  /** A connection attempt failed: refused with an HTTP status, or 0 when TCP failed. */
  default void refused(Member member, int status) {}
}
