package io.switchboard.protocol;

/** {@code publish}: empty, sent once the publication is committed. */
public record PublishResult() implements ClientResult {
  public static final PublishResult INSTANCE = new PublishResult();
}
