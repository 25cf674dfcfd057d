package io.switchboard.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The push-service origins a subscription endpoint may point at (SSRF protection: endpoints come from clients,
 * and the server POSTs to them). An entry is {@code https://host[:port]} (that origin exactly) or
 * {@code https://*.domain[:port]} (any subdomain of domain, not domain itself). {@code http://} entries are
 * accepted only for a loopback host ({@code 127.0.0.1}, {@code localhost}, {@code [::1]}) and only with
 * {@code push.allow_insecure_localhost} (tests).
 */
public final class EndpointAllowlist {
  public static final int MAX_ENDPOINT_LENGTH = 2048;
  private static final Pattern ENTRY =
      Pattern.compile("(https?)://(\\*\\.)?([A-Za-z0-9.-]+|\\[::1])(?::(\\d{1,5}))?");

  private record Entry(String scheme, boolean wildcard, String host, int port) {
    boolean matches(String s, String h, int p) {
      if (!scheme.equals(s) || port != p) {
        return false;
      }
      return wildcard ? h.endsWith("." + host) : h.equals(host);
    }
  }

  private final List<Entry> entries;

  private EndpointAllowlist(List<Entry> entries) {
    this.entries = entries;
  }

  /** Parses the entries; a wrong one throws IllegalArgumentException naming it. */
  public static EndpointAllowlist parse(List<String> raw, boolean allowInsecureLocalhost) {
    List<Entry> entries = new ArrayList<>();
    for (String e : raw) {
      Matcher m = ENTRY.matcher(e);
      if (!m.matches()) {
        throw new IllegalArgumentException("'" + e + "' is not an origin: write https://host[:port] or "
            + "https://*.domain[:port], without a path or trailing slash");
      }
      String scheme = m.group(1);
      String host = m.group(3).toLowerCase(Locale.ROOT);
      boolean wildcard = m.group(2) != null;
      if (scheme.equals("http")) {
        if (!allowInsecureLocalhost || wildcard || !isLoopback(host)) {
          throw new IllegalArgumentException("'" + e + "': push services must be https (plain http only for "
              + "127.0.0.1, localhost or [::1] with push.allow_insecure_localhost, for tests)");
        }
      }
      if (wildcard && host.indexOf('.') < 0) {
        throw new IllegalArgumentException("'" + e + "': a wildcard needs a domain with a dot, like *.example.com");
      }
      int port = m.group(4) == null ? defaultPort(scheme) : Integer.parseInt(m.group(4));
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("'" + e + "': port out of range");
      }
      entries.add(new Entry(scheme, wildcard, host, port));
    }
    return new EndpointAllowlist(List.copyOf(entries));
  }

  private static boolean isLoopback(String host) {
    return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]");
  }

  private static int defaultPort(String scheme) {
    return scheme.equals("https") ? 443 : 80;
  }

  /** Why an endpoint was refused: malformed (a bad request) or not on the list (not permitted). */
  public static final class Refused extends Exception {
    public final boolean malformed;

    Refused(boolean malformed, String message) {
      super(message, null, false, false);
      this.malformed = malformed;
    }
  }

  /** The endpoint as a URI when it is well-formed and its origin is on the list. */
  public URI check(String endpoint) throws Refused {
    if (endpoint.length() > MAX_ENDPOINT_LENGTH) {
      throw new Refused(true, "endpoint longer than " + MAX_ENDPOINT_LENGTH + " characters");
    }
    URI u;
    try {
      u = new URI(endpoint);
    } catch (URISyntaxException e) {
      throw new Refused(true, "endpoint is not a URL");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!u.isAbsolute() || u.isOpaque() || u.getHost() == null || u.getRawUserInfo() != null
        || u.getRawFragment() != null || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new Refused(true, "endpoint must be an https URL without user info or fragment");
    }
    String host = u.getHost().toLowerCase(Locale.ROOT);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    int port = u.getPort() == -1 ? defaultPort(scheme) : u.getPort();
    for (Entry e : entries) {
      if (e.matches(scheme, host, port)) {
        return u;
      }
    }
    throw new Refused(false, "endpoint origin is not an allowed push service");
  }
}
