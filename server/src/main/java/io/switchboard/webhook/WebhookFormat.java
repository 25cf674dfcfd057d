package io.switchboard.webhook;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * How a batch of events goes on the wire: its body and the headers that sign it. The queue and the sender are
 * the same for every format (Switchboard's now; Pusher's, signed with X-Pusher-Key/X-Pusher-Signature, later).
 */
public interface WebhookFormat {

  /** The request body for {@code events}, sent at {@code nowMillis}. */
  Buffer body(List<WebhookEvent> events, long nowMillis);

  /** The size {@code event} adds to a body, near enough to bound a batch in bytes. */
  int sizeOf(WebhookEvent event);

  /** The headers of a request carrying {@code body} (content type and signature). */
  MultiMap headers(Buffer body);
}
