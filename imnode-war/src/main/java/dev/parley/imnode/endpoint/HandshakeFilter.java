package dev.parley.imnode.endpoint;

import dev.parley.common.auth.VerifiedToken;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ParleyException;
import dev.parley.common.protocol.ServerFrames;
import dev.parley.imnode.connection.Admission;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a WebSocket handshake before the upgrade: 403 for a browser Origin that is not allowed,
 * 503 {@code NODE_FULL} when the node admits no more connections ({@link Admission}), 401 for a
 * missing, forged or expired token. The token comes from {@code ?access_token=} (what browsers can
 * send) or an {@code Authorization: Bearer} header. Requests without an Origin header (non-browser
 * clients) are not subject to the Origin check.
 */
@WebFilter("/ws")
public class HandshakeFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  @Inject NodeTokens tokens;
  @Inject Admission admission;

  @Inject
  @ConfigProperty(name = "parley.imnode.origin.allowed")
  String allowedOrigins;

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    String origin = req.getHeader("Origin");
    if (origin != null && !allowed().contains(origin)) {
      refuse(resp, ErrorCode.ORIGIN_NOT_ALLOWED, ErrorCode.ORIGIN_NOT_ALLOWED.defaultMessage());
      return;
    }
    if (!admission.admit()) {
      // Checked before the token: a full node should spend nothing on a handshake it refuses.
      resp.setHeader("Retry-After", "2");
      refuse(resp, ErrorCode.NODE_FULL, ErrorCode.NODE_FULL.defaultMessage());
      return;
    }
    VerifiedToken token;
    try {
      token = tokens.verify(tokenOf(req));
    } catch (ParleyException e) {
      resp.setHeader("WWW-Authenticate", "Bearer");
      refuse(resp, e.code(), e.getMessage());
      return;
    }
    HandshakePrincipal principal = new HandshakePrincipal(token);
    chain.doFilter(
        new HttpServletRequestWrapper(req) {
          @Override
          public Principal getUserPrincipal() {
            return principal;
          }
        },
        resp);
  }

  private List<String> allowed() {
    return Arrays.stream(allowedOrigins.split(",")).map(String::strip).toList();
  }

  private static String tokenOf(HttpServletRequest req) {
    String token = req.getParameter("access_token");
    if (token != null) {
      return token;
    }
    String header = req.getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return header.substring(7).strip();
    }
    return null;
  }

  private static void refuse(HttpServletResponse resp, ErrorCode code, String message)
      throws IOException {
    resp.setStatus(code.httpStatus());
    resp.setContentType("application/json");
    resp.setCharacterEncoding("UTF-8");
    resp.getWriter()
        .write(
            ServerFrames.object()
                .add("code", code.name())
                .add("message", message)
                .build()
                .toString());
  }
}
