package io.switchboard.config;

/**
 * Limits on the data every path accepts (publications of clients and of the server API, notifications, the
 * outbox, RPC data, the {@code info} of tokens): at most {@code maxBytes} bytes, and JSON nested at most
 * {@code maxDepth} levels. Whatever is accepted can then be encoded in every reply that carries it (Jackson
 * refuses to write JSON nested deeper than 1000 levels, replies add a few).
 */
public record PayloadConfig(int maxDepth, int maxBytes) {
  /** The highest {@code max_depth} allowed: well below Jackson's 1000, so replies keep room for their own levels. */
  public static final int DEPTH_CEILING = 512;

  /** The built-in defaults ({@code conf/switchboard.yaml}), for parts built without a configuration (tests). */
  public static final PayloadConfig DEFAULTS = new PayloadConfig(64, 65536);
}
