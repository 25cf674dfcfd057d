package io.switchboard.config;

import java.util.List;

/**
 * The HTTP listener. {@code allowedOrigins} lists browser origins allowed to use the client endpoints (exact
 * {@code scheme://host[:port]}, or {@code *}). {@code allowedHosts} lists the hosts ({@code host} or
 * {@code host:port}) whose same-host browser origin is allowed besides them; outside demo mode no other
 * same-host origin is, since a rebound DNS name makes any {@code Host} header look like the server's own.
 */
public record HttpConfig(String host, int port, List<String> allowedOrigins, int maxApiBodyBytes,
    List<String> allowedHosts) {}
