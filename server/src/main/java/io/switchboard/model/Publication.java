package io.switchboard.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * One publication in a channel. {@code offset} is 0 for channels without history. {@code data} is exactly what
 * the publisher sent: with {@code json} the compact JSON text in UTF-8 (every publication today), otherwise
 * arbitrary bytes (Protobuf clients). It is shared by every copy and reader and never modified. {@code info}
 * is the publisher (null for server API publications); {@code tags} may be empty.
 *
 * <p>Equality compares {@code data} by content (a record would compare the array by identity).
 */
public record Publication(String channel, long offset, byte[] data, boolean json, ClientInfo info,
    Map<String, String> tags) {

  /** A publication of JSON data given as (compact) text. */
  public Publication(String channel, long offset, String jsonData, ClientInfo info, Map<String, String> tags) {
    this(channel, offset, jsonData.getBytes(StandardCharsets.UTF_8), true, info, tags);
  }

  public Publication withOffset(long newOffset) {
    return new Publication(channel, newOffset, data, json, info, tags);
  }

  /** The data decoded as UTF-8: the JSON text when {@code json}. */
  public String dataText() {
    return new String(data, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Publication p && offset == p.offset && json == p.json && channel.equals(p.channel)
        && Arrays.equals(data, p.data) && java.util.Objects.equals(info, p.info)
        && java.util.Objects.equals(tags, p.tags);
  }

  @Override
  public int hashCode() {
    return ((channel.hashCode() * 31 + Long.hashCode(offset)) * 31 + Arrays.hashCode(data)) * 31
        + Boolean.hashCode(json);
  }

  @Override
  public String toString() {
    return "Publication[channel=" + channel + ", offset=" + offset + ", data="
        + (json ? dataText() : "base64:" + java.util.Base64.getEncoder().encodeToString(data))
        + ", info=" + info + ", tags=" + tags + "]";
  }
}
