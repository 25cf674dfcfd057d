package io.switchboard.protocol;

import java.util.Map;

/**
 * {@code connect}. {@code token} null or empty: anonymous. {@code subs}: recovery positions of server-side
 * subscriptions by channel (only {@code recover}, {@code offset} and {@code epoch} of each are read), never
 * null. {@code data}: the bytes sent (JSON text from the JSON codec) or null, not used yet.
 */
public record ConnectRequest(String token, byte[] data, Map<String, SubscribeRequest> subs) implements ClientRequest {}
