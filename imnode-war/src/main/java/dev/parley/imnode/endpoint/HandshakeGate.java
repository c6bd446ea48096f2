package dev.parley.imnode.endpoint;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.memory.Buffers;

/**
 * The standalone listener's counterpart of {@link HandshakeFilter}: a Grizzly filter just before
 * Tyrus' own that refuses an upgrade request as {@link HandshakePolicy} decides, with the same
 * status, headers and JSON body, and closes the connection. (Tyrus can refuse a handshake only with
 * a status line and no end to the response, which leaves a client waiting.)
 *
 * <p>An admitted handshake goes on to Tyrus on the same thread, within the same pass along the
 * filter chain; the token's holder waits for it in a thread-local until {@link SharedEndpoint}
 * takes it.
 */
final class HandshakeGate extends BaseFilter {

  private static final String ACCESS_TOKEN = "access_token";

  private static final ThreadLocal<HandshakePrincipal> ADMITTED = new ThreadLocal<>();

  private final HandshakePolicy policy;

  HandshakeGate(HandshakePolicy policy) {
    this.policy = policy;
  }

  /** The holder of the token this thread's current handshake was admitted with, taken once. */
  static Optional<HandshakePrincipal> takeAdmitted() {
    HandshakePrincipal principal = ADMITTED.get();
    ADMITTED.remove();
    return Optional.ofNullable(principal);
  }

  @Override
  public NextAction handleRead(FilterChainContext ctx) throws IOException {
    if (!(ctx.getMessage() instanceof HttpContent content)
        || !(content.getHttpHeader() instanceof HttpRequestPacket request)
        || !"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))
        // Once answered (101), what follows on the connection are frames of the same request.
        || request.getResponse().isCommitted()) {
      return ctx.getInvokeAction();
    }
    ADMITTED.remove();
    Query query = Query.of(request.getQueryString());
    HandshakePolicy.Verdict verdict =
        policy.examine(
            request.getHeader("Origin"), query.token(), request.getHeader("Authorization"));
    if (verdict instanceof HandshakePolicy.Admitted admitted) {
      ADMITTED.set(admitted.principal());
      dropToken(request, query);
      return ctx.getInvokeAction();
    }
    refuse(ctx, request, (HandshakePolicy.Refused) verdict);
    return ctx.getStopAction();
  }

  private static void refuse(
      FilterChainContext ctx, HttpRequestPacket request, HandshakePolicy.Refused refused) {
    HttpResponsePacket response = request.getResponse();
    response.setStatus(refused.status());
    refused.headers().forEach(response::setHeader);
    byte[] body = refused.body().getBytes(StandardCharsets.UTF_8);
    // As a plain header: Grizzly's codec writes its content-type field only for responses it
    // prepares itself, which an answer to an upgrade request is not.
    response.getHeaders().setValue("Content-Type").setString("application/json;charset=UTF-8");
    response.setContentLength(body.length);
    response.setHeader("Connection", "close");
    HttpContent answer =
        HttpContent.builder(response)
            .content(Buffers.wrap(ctx.getMemoryManager(), body))
            .last(true)
            .build();
    ctx.write(answer);
    ctx.getConnection().closeSilently();
  }

  /**
   * Takes the token out of the request before Tyrus copies the request into its session, which
   * keeps the query for the connection's life, as text, parsed, and in the request URI: four copies
   * of a ~900-character token, ~3.6 KB of every idle connection's heap (and the headers, for a
   * token in {@code Authorization}). The token has been verified; what the session needs of it is
   * in the principal.
   */
  private static void dropToken(HttpRequestPacket request, Query query) {
    request.getHeaders().removeHeader("Authorization");
    if (query.token() == null) {
      return;
    }
    if (query.rest().isEmpty()) {
      request.getQueryStringDC().recycle();
    } else {
      request.setQueryString(query.rest());
    }
  }

  /**
   * A query string read once: the {@code access_token} parameter (null when absent) and the other
   * parameters as they came.
   */
  private record Query(String token, String rest) {

    static Query of(String query) {
      if (query == null) {
        return new Query(null, "");
      }
      String token = null;
      StringBuilder rest = new StringBuilder();
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        if ((eq < 0 ? pair : pair.substring(0, eq)).equals(ACCESS_TOKEN)) {
          token = token != null ? token : decode(eq < 0 ? "" : pair.substring(eq + 1));
        } else {
          rest.append(rest.isEmpty() ? "" : "&").append(pair);
        }
      }
      return new Query(token, rest.toString());
    }

    /** A token is base64url: nothing to decode unless the client escaped something. */
    private static String decode(String value) {
      return value.indexOf('%') < 0 && value.indexOf('+') < 0
          ? value
          : URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
  }
}
