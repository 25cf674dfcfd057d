package io.switchboard.core;

import io.switchboard.config.NamespaceOptions;
import io.switchboard.config.PayloadConfig;
import io.switchboard.model.CoreException;
import io.switchboard.model.Failure;
import io.switchboard.model.JsonBytes;

/**
 * The binary-data rule (docs/protocol.md): what a namespace takes as publication data, and how it is stored.
 * A namespace is JSON unless its option {@code binary} is on. Data an edge parsed as JSON (a JSON client, the
 * API's {@code data}) is JSON; "opaque" data (a Protobuf client, the API's {@code b64data}) is bytes nobody
 * has read. The bytes are stored and delivered exactly as given either way; only the flag differs. Every
 * publication also passes the {@code payload} limits here, before anything is stored.
 */
public final class PublicationData {
  private PublicationData() {}

  /**
   * Whether {@code data} is stored as JSON; refuses (bad request) opaque data that is not one line of JSON in a
   * JSON namespace, so a JSON subscriber can never get a broken frame. In a binary namespace opaque data is
   * taken as it is and flagged not JSON (its subscribers are Protobuf clients: refusing JSON clients there is
   * the client edge's part). Data over {@code limits} (size, and nesting for JSON) is refused likewise.
   */
  public static boolean json(NamespaceOptions ns, byte[] data, boolean opaque, PayloadConfig limits) {
    boolean json = !opaque || !ns.binary();
    if (opaque && json && !JsonBytes.isJsonLine(data)) {
      throw new CoreException(Failure.BAD_REQUEST, "data must be JSON on one line (the namespace is not binary)");
    }
    check(data, json, limits);
    return json;
  }

  /** Refuses (bad request) data over the limits: its size, and its nesting when it is JSON. */
  public static void check(byte[] data, boolean json, PayloadConfig limits) {
    JsonBytes.check(data, json, limits.maxDepth(), limits.maxBytes());
  }
}
