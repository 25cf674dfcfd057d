package io.switchboard.protocol;

import io.switchboard.model.StreamPosition;

/**
 * {@code history}: {@code limit} as sent (0: only the position, -1: as many as a page may hold; checked when
 * the query is built, against the configured cap); {@code since} null when not given, its epoch may be null.
 */
public record HistoryRequest(String channel, long limit, StreamPosition since, boolean reverse)
    implements ClientRequest {}
