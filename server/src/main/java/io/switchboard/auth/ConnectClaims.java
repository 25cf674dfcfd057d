package io.switchboard.auth;

import java.util.List;

/**
 * The claims of a verified connection token.
 *
 * @param user {@code sub}; "" means anonymous
 * @param expireAt when the connection expires, epoch seconds; 0 = never. From {@code expire_at} when present
 *     ({@code expire_at: 0} = never), else from {@code exp}
 * @param info raw JSON text of {@code info}, or the decoded {@code b64info} (which wins, as in Centrifugo),
 *     or null
 * @param channels {@code channels}: server-side subscriptions; empty when absent
 * @param meta raw JSON text of {@code meta}, or null
 */
public record ConnectClaims(String user, long expireAt, String info, List<String> channels, String meta) {}
