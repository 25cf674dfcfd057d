package io.switchboard.model;

/** Top of a channel stream: the offset of its last publication and the stream's epoch. */
public record StreamPosition(long offset, String epoch) {}
