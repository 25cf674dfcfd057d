package io.switchboard.broker;

import io.switchboard.model.Publication;
import io.switchboard.model.StreamPosition;

/** A committed publication and the stream position it took (null position for channels without history). */
public record PublishResult(Publication publication, StreamPosition position) {}
