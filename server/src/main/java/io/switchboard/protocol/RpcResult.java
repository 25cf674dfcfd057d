package io.switchboard.protocol;

/** {@code rpc}: {@code data} is the method's result as raw JSON text (null for a null result). */
public record RpcResult(String data) implements ClientResult {}
