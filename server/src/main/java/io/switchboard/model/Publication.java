package io.switchboard.model;

import java.util.Map;

/**
 * One publication in a channel. {@code offset} is 0 for channels without history. {@code data} is raw JSON
 * text; {@code info} is the publisher (null for server API publications); {@code tags} may be empty.
 */
public record Publication(String channel, long offset, String data, ClientInfo info, Map<String, String> tags) {

  public Publication withOffset(long newOffset) {
    return new Publication(channel, newOffset, data, info, tags);
  }
}
