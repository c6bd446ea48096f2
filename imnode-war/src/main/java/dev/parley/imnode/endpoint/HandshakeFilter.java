package dev.parley.imnode.endpoint;

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

/**
 * Refuses a WebSocket handshake on the servlet container's {@code /ws} before the upgrade, as
 * {@link HandshakePolicy} decides, and hands the token's holder to the endpoint as the request's
 * principal.
 */
@WebFilter("/ws")
public class HandshakeFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  @Inject HandshakePolicy policy;

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    HandshakePolicy.Verdict verdict =
        policy.examine(
            req.getHeader("Origin"),
            req.getParameter("access_token"),
            req.getHeader("Authorization"));
    if (verdict instanceof HandshakePolicy.Refused refused) {
      refused.headers().forEach(resp::setHeader);
      resp.setStatus(refused.status());
      resp.setContentType("application/json");
      resp.setCharacterEncoding("UTF-8");
      resp.getWriter().write(refused.body());
      return;
    }
    HandshakePrincipal principal = ((HandshakePolicy.Admitted) verdict).principal();
    chain.doFilter(
        new HttpServletRequestWrapper(req) {
          @Override
          public Principal getUserPrincipal() {
            return principal;
          }
        },
        resp);
  }
}
