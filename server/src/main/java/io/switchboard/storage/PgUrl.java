package io.switchboard.storage;

import io.switchboard.config.ConfigException;
import io.switchboard.config.PostgresConfig;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A parsed {@code postgresql://user:pass@host:port/db?sslmode=…&application_name=…} URL (also
 * {@code postgres://}). User, password and database may be percent-encoded. Missing port means 5432, a missing
 * database means the user's name (as libpq does). Supported query parameters: {@code sslmode}
 * (disable, allow, prefer, require, verify-ca, verify-full) and {@code application_name}; anything else is
 * rejected so that a typo does not silently change behaviour.
 *
 * <p>Errors are {@link ConfigException}s for key {@code postgres.url}; their messages never contain the password.
 */
public record PgUrl(String host, int port, String database, String user, String password, Map<String, String> params) {

  public static final String KEY = "postgres.url";
  private static final Set<String> SSL_MODES =
      Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  public PgUrl {
    params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params)); // keeps the URL's order
  }

  /** Parses {@code url}; throws {@link ConfigException} ("postgres.url: …") when it is not usable. */
  public static PgUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw new ConfigException(KEY, "is empty; expected postgresql://user:pass@host:port/db");
    }
    String trimmed = url.trim();
    int schemeEnd = trimmed.indexOf("://");
    String scheme = schemeEnd < 0 ? "" : trimmed.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
    if (!scheme.equals("postgresql") && !scheme.equals("postgres")) {
      throw new ConfigException(KEY, "must start with postgresql:// or postgres:// (got " + redact(trimmed) + ")");
    }
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      // URISyntaxException messages quote the whole input, password included: never pass them on.
      throw new ConfigException(KEY, "is not a valid URL (" + redact(trimmed)
          + "); percent-encode special characters in the user name and password");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new ConfigException(KEY, "has no host (" + redact(trimmed) + ")");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort() == -1 ? 5432 : uri.getPort();
    if (port < 1 || port > 65535) {
      throw new ConfigException(KEY, "has an invalid port " + port);
    }
    String user = null;
    String password = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), "user name");
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1), "password");
    }
    if (user == null || user.isEmpty()) {
      throw new ConfigException(KEY, "has no user name (" + redact(trimmed) + ")");
    }
    String path = uri.getRawPath();
    String database = path == null || path.isEmpty() || path.equals("/") ? user : decode(path.substring(1), "database");
    if (database.isEmpty() || database.contains("/")) {
      throw new ConfigException(KEY, "has an invalid database name (" + redact(trimmed) + ")");
    }
    Map<String, String> params = new LinkedHashMap<>();
    String query = uri.getRawQuery();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq), "query parameter");
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1), "query parameter");
        switch (name) {
          case "sslmode" -> {
            if (!SSL_MODES.contains(value)) {
              throw new ConfigException(KEY, "has an unknown sslmode '" + value + "' (expected one of "
                  + "disable, allow, prefer, require, verify-ca, verify-full)");
            }
          }
          case "application_name" -> { }
          default -> throw new ConfigException(KEY, "has an unsupported query parameter '" + name
              + "' (supported: sslmode, application_name)");
        }
        params.put(name, value);
      }
    }
    return new PgUrl(host, port, database, user, password == null ? "" : password, params);
  }

  /** The reactive client's options: prepared statement cache on, pipelining limit from the config. */
  public PgConnectOptions connectOptions(int pipeliningLimit) {
    if (pipeliningLimit < 1) {
      throw new ConfigException("postgres.pipelining_limit", "must be at least 1 (got " + pipeliningLimit + ")");
    }
    PgConnectOptions o = new PgConnectOptions()
        .setHost(host)
        .setPort(port)
        .setDatabase(database)
        .setUser(user)
        .setPassword(password)
        .setCachePreparedStatements(true)
        .setPipeliningLimit(pipeliningLimit);
    String sslmode = params.get("sslmode");
    if (sslmode != null) {
      o.setSslMode(SslMode.of(sslmode));
    }
    String app = params.get("application_name");
    if (app != null) {
      Map<String, String> props = new LinkedHashMap<>(o.getProperties());
      props.put("application_name", app);
      o.setProperties(props);
    }
    return o;
  }

  /** Parses {@code cfg.url()} and applies the pipelining limit: the options the server's pool uses. */
  public static PgConnectOptions connectOptions(PostgresConfig cfg) {
    return parse(cfg.url()).connectOptions(cfg.pipeliningLimit());
  }

  /** The same database for JDBC (Flyway). The password travels separately, never in the URL. */
  public JdbcTarget jdbc() {
    StringBuilder url = new StringBuilder("jdbc:postgresql://");
    url.append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port).append('/')
        .append(URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20"));
    char sep = '?';
    for (Map.Entry<String, String> p : params.entrySet()) {
      String name = p.getKey().equals("application_name") ? "ApplicationName" : p.getKey();
      url.append(sep).append(name).append('=').append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
      sep = '&';
    }
    return new JdbcTarget(url.toString(), user, password);
  }

  /** The URL back, with the password replaced by {@code ***}. */
  public String redacted() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "postgresql://" + user + (password.isEmpty() ? "" : ":***") + "@" + h + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    return redacted();
  }

  /** Replaces whatever follows the first ':' of the user info by {@code ***}, without parsing the URL. */
  static String redact(String url) {
    int schemeEnd = url.indexOf("://");
    int start = schemeEnd < 0 ? 0 : schemeEnd + 3;
    int at = url.lastIndexOf('@');
    if (at < start) {
      return url;
    }
    int colon = url.indexOf(':', start);
    if (colon < 0 || colon > at) {
      return url;
    }
    return url.substring(0, colon + 1) + "***" + url.substring(at);
  }

  private static String decode(String raw, String what) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(KEY, "has a badly percent-encoded " + what);
    }
  }
}
