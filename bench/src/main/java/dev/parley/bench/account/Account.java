package dev.parley.bench.account;

import java.net.URI;

/**
 * A signed-in bench user: its name, id, token and the node it was routed to ({@code node} is null
 * until routed).
 */
public record Account(String username, long userId, String token, URI node) {

  public Account routedTo(URI url) {
    return new Account(username, userId, token, url);
  }
}
