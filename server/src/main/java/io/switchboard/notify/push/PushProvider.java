package io.switchboard.notify.push;

import java.util.List;

/**
 * One platform's push service (FCM, APNs, Web Push). Blocking by design: only the push worker threads call
 * {@link #send}, several at once, so an implementation is thread-safe and holds its own deadlines (connect and
 * response, each well inside the sender's lease). It never throws for anything a service or the network does:
 * that is a {@link PushResult} too.
 */
public interface PushProvider extends AutoCloseable {

  /** {@code fcm}, {@code apns} or {@code webpush}: the {@link PushDevice#platform()} it serves. */
  String platform();

  /**
   * Sends {@code content} to each device (all of {@link #platform()}), concurrently where the service allows,
   * and returns when every answer is in or timed out: one result per device, in the order given.
   */
  List<PushResult> send(List<PushDevice> devices, PushContent content);

  @Override
  default void close() {}
}
