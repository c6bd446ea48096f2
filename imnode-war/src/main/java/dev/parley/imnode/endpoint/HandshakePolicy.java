package dev.parley.imnode.endpoint;

import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import dev.parley.common.protocol.ServerFrames;
import dev.parley.imnode.connection.Admission;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Whether a WebSocket handshake may go on, whichever listener received it (the servlet filter of
 * {@code /ws} or the standalone listener): 403 for a browser Origin that is not allowed, 503 {@code
 * NODE_FULL} when the node admits no more connections ({@link Admission}), 401 for a missing,
 * forged or expired token. The token comes from {@code ?access_token=} (what browsers can send) or
 * an {@code Authorization: Bearer} header. Requests without an Origin header (non-browser clients)
 * are not subject to the Origin check.
 */
@ApplicationScoped
public class HandshakePolicy {

  @Inject NodeTokens tokens;
  @Inject Admission admission;

  @Inject
  @ConfigProperty(name = "parley.imnode.origin.allowed")
  String allowedOrigins;

  private List<String> allowed;

  /** The verdict on one handshake. */
  public sealed interface Verdict {}

  /** The handshake may go on, for the holder of this token. */
  public record Admitted(HandshakePrincipal principal) implements Verdict {}

  /** The handshake is refused with {@code code}'s HTTP status, these headers and a JSON body. */
  public record Refused(ErrorCode code, String message, Map<String, String> headers)
      implements Verdict {

    public int status() {
      return code.httpStatus();
    }

    /** {@code {code, message}}, like every error answer of Parley. */
    public String body() {
      return ServerFrames.object()
          .add("code", code.name())
          .add("message", message)
          .build()
          .toString();
    }
  }

  @PostConstruct
  void init() {
    allowed = Arrays.stream(allowedOrigins.split(",")).map(String::strip).toList();
  }

  /**
   * @param origin the {@code Origin} header, or null
   * @param accessToken the {@code access_token} query parameter, or null
   * @param authorization the {@code Authorization} header, or null
   */
  public Verdict examine(String origin, String accessToken, String authorization) {
    if (origin != null && !allowed.contains(origin)) {
      return refused(ErrorCode.ORIGIN_NOT_ALLOWED, Map.of());
    }
    if (!admission.admit()) {
      // Checked before the token: a full node should spend nothing on a handshake it refuses.
      return refused(ErrorCode.NODE_FULL, Map.of("Retry-After", "2"));
    }
    try {
      return new Admitted(
          new HandshakePrincipal(tokens.verify(tokenOf(accessToken, authorization))));
    } catch (ParleyException e) {
      return new Refused(e.code(), e.getMessage(), Map.of("WWW-Authenticate", "Bearer"));
    }
  }

  private static Refused refused(ErrorCode code, Map<String, String> headers) {
    return new Refused(code, code.defaultMessage(), headers);
  }

  private static String tokenOf(String accessToken, String authorization) {
    if (accessToken != null) {
      return accessToken;
    }
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).strip();
    }
    return null;
  }
}
