package io.switchboard.config;

import java.util.List;

/**
 * The HTTP listener. {@code allowedOrigins} lists browser origins allowed to open WebSockets (exact
 * {@code scheme://host[:port]}, or {@code *}); an empty list means only the server's own origin.
 */
public record HttpConfig(String host, int port, List<String> allowedOrigins, int maxApiBodyBytes) {}
