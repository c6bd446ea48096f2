package dev.parley.gateway.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Security headers on every gateway response. The Content-Security-Policy lets the browser client
 * load only its own scripts and styles (no inline code, no other origins), connect only to this
 * origin and to WebSocket URLs, and show images only from this origin.
 */
@WebFilter("/*")
public class SecurityHeaders extends HttpFilter {
  private static final long serialVersionUID = 1L;

  static final String POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
          + " connect-src 'self' ws: wss:; object-src 'none'; base-uri 'self';"
          + " form-action 'self'; frame-ancestors 'none'";

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    resp.setHeader("Content-Security-Policy", POLICY);
    resp.setHeader("X-Content-Type-Options", "nosniff");
    resp.setHeader("Referrer-Policy", "no-referrer");
    resp.setHeader("X-Frame-Options", "DENY");
    chain.doFilter(req, resp);
  }
}
