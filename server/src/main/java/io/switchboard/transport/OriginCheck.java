package io.switchboard.transport;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The browser Origin rule of every client endpoint (WebSocket, HTTP-streaming, SSE, emulation, the uni ones): a
 * request without an Origin header (not a browser) is allowed; a browser origin is allowed when it is listed in
 * {@code http.allowed_origins} ({@code *} allows any), or when it is the server's own (same host as the
 * request's {@code Host}) and that host may be trusted.
 *
 * <p>The {@code Host} header is the browser's to set: after a DNS rebinding, a page of {@code evil.example}
 * reaches this server with {@code Origin: http://evil.example} and {@code Host: evil.example}, which look "same
 * host". So outside demo mode the same-host rule holds only for the hosts of {@code http.allowed_hosts}; in
 * demo mode (a developer's machine, the demo chat page) any same host is allowed, as it always was.
 */
public final class OriginCheck {
  private final List<String> allowedOrigins;
  /** Lower-case {@code host[:port]}; empty with {@code anySameHost} false: no same-host browser is allowed. */
  private final Set<String> allowedHosts;
  private final boolean anySameHost;

  /**
   * @param allowedHosts {@code host} or {@code host:port} values whose same-host browser origins are allowed
   * @param anySameHost allow a same-host origin whatever the host (demo mode)
   */
  public OriginCheck(List<String> allowedOrigins, List<String> allowedHosts, boolean anySameHost) {
    this.allowedOrigins = List.copyOf(allowedOrigins);
    this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    this.anySameHost = anySameHost;
  }

  /** The rule of demo mode: the listed origins, and any same-host origin. */
  public OriginCheck(List<String> allowedOrigins) {
    this(allowedOrigins, List.of(), true);
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
    String o = origin.toLowerCase(Locale.ROOT);
    String h = host.toLowerCase(Locale.ROOT);
    if (!o.equals("http://" + h) && !o.equals("https://" + h)) {
      return false;
    }
    return anySameHost || allowedHosts.contains(h) || allowedHosts.contains(withoutPort(h));
  }

  private static String withoutPort(String host) {
    int colon = host.lastIndexOf(':');
    // An IPv6 literal is bracketed ([::1]:8000): a colon inside the brackets is not a port separator.
    return colon > host.lastIndexOf(']') ? host.substring(0, colon) : host;
  }
}
