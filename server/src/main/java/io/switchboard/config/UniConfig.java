package io.switchboard.config;

/**
 * The unidirectional transports, each on or off: {@code /connection/uni_websocket}, {@code /connection/uni_sse}
 * and {@code /connection/uni_http_stream} (docs/protocol.md). A client of these sends only its connect request
 * and gets the pushes of its server-side subscriptions; its token and limits are checked as on a WebSocket.
 */
public record UniConfig(boolean websocket, boolean sse, boolean httpStream) {}
