package io.switchboard.transport;

import java.util.List;

/**
 * The browser Origin rule of every client endpoint (WebSocket, HTTP-streaming, SSE, emulation): a request
 * without an Origin header (not a browser) is allowed; a browser origin must be the server's own (same host as
 * the request) or listed in {@code http.allowed_origins} ({@code *} allows any).
 */
public final class OriginCheck {
  private final List<String> allowedOrigins;

  public OriginCheck(List<String> allowedOrigins) {
    this.allowedOrigins = List.copyOf(allowedOrigins);
  }

  /** Whether a request with this Origin header (null when absent) and Host header may use the endpoint. */
  public boolean allows(String origin, String host) {
    return origin == null || origin.isEmpty() || originAllowed(origin, host);
  }

  /** Whether a browser origin is allowed (an absent one is not decided here). */
  public boolean originAllowed(String origin, String host) {
    for (String allowed : allowedOrigins) {
      if (allowed.equals("*") || allowed.equalsIgnoreCase(origin)) {
        return true;
      }
    }
    if (host == null) {
      return false;
    }
    String o = origin.toLowerCase();
    String h = host.toLowerCase();
    return o.equals("http://" + h) || o.equals("https://" + h);
  }
}
