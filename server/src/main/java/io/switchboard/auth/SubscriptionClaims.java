package io.switchboard.auth;

/**
 * The claims of a verified subscription token.
 *
 * @param user {@code sub}; must equal the connection's user (checked by the caller)
 * @param channel {@code channel}; always present (a token without it is invalid)
 * @param client {@code client}: when not "", the token is only valid for that client id (checked by the caller)
 * @param info raw JSON text of {@code info}, or the decoded {@code b64info}, or null
 * @param expireAt when the subscription expires, epoch seconds; 0 = never ({@code expire_at}, else {@code exp})
 */
public record SubscriptionClaims(String user, String channel, String client, String info, long expireAt) {}
