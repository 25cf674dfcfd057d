package io.switchboard.protocol;

/** {@code rpc}: {@code method} may be null; {@code data} the bytes sent (JSON text from the JSON codec), or null. */
public record RpcRequest(String method, byte[] data) implements ClientRequest {}
