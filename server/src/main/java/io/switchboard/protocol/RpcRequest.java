package io.switchboard.protocol;

/** {@code rpc}: {@code method} may be null; {@code data} raw JSON text or null. */
public record RpcRequest(String method, String data) implements ClientRequest {}
