package io.switchboard.protocol;

/** {@code rpc}: {@code data} is the method's result as JSON text in UTF-8 (null for a null result). */
public record RpcResult(byte[] data) implements ClientResult {}
