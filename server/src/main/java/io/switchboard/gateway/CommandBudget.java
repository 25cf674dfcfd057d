package io.switchboard.gateway;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's budget of command bytes read but not yet answered, summed over every connection of every event
 * loop ({@code client.node_pending_command_bytes}). Past it, a connection that reads stops reading until the
 * sum is back under: many connections, each within its own bound, still cannot fill the heap together.
 */
public final class CommandBudget {
  private final AtomicLong pending = new AtomicLong();
  private final long max;

  public CommandBudget(long max) {
    this.max = max;
  }

  void take(int bytes) {
    pending.addAndGet(bytes);
  }

  void give(int bytes) {
    pending.addAndGet(-bytes);
  }

  boolean over() {
    return pending.get() > max;
  }

  /** Bytes of commands read and not yet answered on this node (for tests and metrics). */
  public long pending() {
    return pending.get();
  }
}
