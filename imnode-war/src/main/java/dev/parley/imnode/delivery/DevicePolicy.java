package dev.parley.imnode.delivery;

import dev.parley.common.protocol.ServerFrames;
import dev.parley.imnode.cluster.Push;
import dev.parley.imnode.connection.Connection;
import dev.parley.imnode.presence.SignedInAgain;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What happens when a user signs in again: with the {@code single} policy (the default, as go-im)
 * every older connection of the user, on any node, gets {@code kicked} and close code 4002; with
 * {@code multi} all of a user's devices stay connected and each receives everything.
 */
@ApplicationScoped
public class DevicePolicy {

  /** Close code for a session replaced by a newer sign-in. */
  public static final int CLOSE_SIGNED_IN_ELSEWHERE = 4002;

  @Inject Routes routes;

  @Inject
  @ConfigProperty(name = "parley.imnode.session.policy", defaultValue = "single")
  String policy;

  /**
   * Only a user who was connected already has anything to kick: a first connection ({@link
   * dev.parley.imnode.presence.CameOnline}) publishes nothing here.
   */
  void signedInAgain(@Observes SignedInAgain event) {
    if (!"single".equals(policy)) {
      return;
    }
    Connection newest = event.connection();
    routes.send(
        Push.toUsers(
                List.of(newest.user().id()),
                ServerFrames.kicked("You signed in somewhere else"),
                newest.id())
            .closing(CLOSE_SIGNED_IN_ELSEWHERE));
  }
}
