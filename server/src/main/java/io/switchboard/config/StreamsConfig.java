package io.switchboard.config;

/**
 * The HTTP fallbacks of the bidirectional protocol: {@code http_stream.enabled} serves
 * {@code /connection/http_stream}, {@code sse.enabled} serves {@code /connection/sse}; {@code /emulation}
 * (their client-to-server half) is served while either is on. A transport that is off answers 404.
 */
public record StreamsConfig(boolean httpStream, boolean sse) {

  public boolean emulation() {
    return httpStream || sse;
  }
}
