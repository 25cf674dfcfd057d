package io.switchboard.protocol;

import io.switchboard.model.Publication;
import java.util.List;

/** {@code history}: a page of the stream and the stream's top ({@code epoch}, {@code offset}). */
public record HistoryResult(List<Publication> publications, String epoch, long offset) implements ClientResult {}
