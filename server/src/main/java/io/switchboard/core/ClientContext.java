package io.switchboard.core;

import java.util.Map;

/**
 * Who is asking, as the application backend is told (docs/proxy.md): the connection's id, its user, transport
 * name ({@code websocket}, {@code sse}, ...), protocol ({@code json}, {@code protobuf}) and data encoding
 * ({@code json}, {@code binary}), the {@code meta} the connect proxy attached (JSON text, or null) and the
 * request headers the proxies forward (only those on an allowlist; names lower case).
 */
public record ClientContext(String client, String user, String transport, String protocol, String encoding,
    byte[] meta, Map<String, String> headers) {}
