package io.switchboard.gateway;

import io.switchboard.codec.BadMessageException;
import io.switchboard.protocol.ClientCommand;
import io.switchboard.protocol.DisconnectCode;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Supplier;

/**
 * A connection's commands, from the messages that carry them to their turn. The session's codec decodes each
 * message; a pong is handled at once, the other commands wait here and run strictly one after another: a
 * command starts when the previous one has answered, so connect finishes before the subscribes sent in the
 * same message. A command that completes synchronously lets the next one run at once.
 *
 * <p>What is read but not yet answered is bounded: each message's size is counted (characters of a text
 * message, bytes of a binary one) from when it is read until the last of its commands has answered, on this
 * connection ({@code client.max_pending_command_bytes}, and {@code client.max_pending_commands} commands) and on
 * the node ({@link CommandBudget}). Past a bound the transport stops reading; it reads again when this
 * connection is back to half of its bounds and the node under its budget (checked as commands answer, and once
 * a second by the session's tick for a node that was over). A client that pipelines without reading replies
 * thus meets TCP back-pressure instead of filling the heap.
 */
final class CommandQueue {
  /** Queued after the last command of a message: when its turn comes the message is answered, its bytes free. */
  private record Answered(int bytes) {}

  private final Session session;
  /** The connection's command rate limit (kept here: a queue is dropped only once its bucket is full again). */
  private final CommandRateLimit rate;
  /**
   * Commands waiting for the one in progress, each message's followed by its {@link Answered}; null when none
   * wait (nearly always, on an idle connection).
   */
  private ArrayDeque<Object> waiting;
  private boolean busy;
  /** Size of the messages read whose commands have not all answered. */
  private int pendingBytes;
  /** Commands waiting (not counting the one in progress). */
  private int queued;
  private boolean paused;

  /** An empty queue with a full rate-limit bucket, as the session's first one or after an idle one was dropped. */
  CommandQueue(Session session) {
    this.session = session;
    this.rate = new CommandRateLimit(session.limits().commandBurst(), System.nanoTime());
  }

  /** Takes a token of the rate limit for a command about to run. */
  CommandRateLimit.Verdict rate() {
    return rate.take(session.limits().commandRatePerSecond(), session.limits().commandBurst(), System.nanoTime());
  }

  /** A text message from the client. */
  void read(String message) {
    if (startRead(!session.codec.binary()) && !tooBig(longerThan(message, session.limits().maxMessageBytes()))) {
      receive(() -> session.codec.decode(message), message.length());
    }
  }

  /** A binary message from the client. */
  void read(Buffer message) {
    if (startRead(session.codec.binary()) && !tooBig(message.length() > session.limits().maxMessageBytes())) {
      receive(() -> session.codec.decode(message), message.length());
    }
  }

  /** Whether to read a message on: it is the kind the codec speaks (else 3501), and the session is open. */
  private boolean startRead(boolean codecsKind) {
    if (!codecsKind) {
      session.disconnect(DisconnectCode.BAD_REQUEST);
      return false;
    }
    if (session.state == Session.State.CLOSED) {
      return false;
    }
    session.lastReadAt = System.currentTimeMillis();
    return true;
  }

  /** Closes with 1009 when a message is over {@code client.max_message_bytes}. */
  private boolean tooBig(boolean over) {
    if (over) {
      session.disconnect(DisconnectCode.MESSAGE_TOO_BIG);
    }
    return over;
  }

  /** Whether {@code text} is over {@code max} bytes of UTF-8; counted only when the characters don't decide. */
  static boolean longerThan(String text, int max) {
    if (text.length() > max) {
      return true;
    }
    if ((long) text.length() * 3 <= max) {
      return false;
    }
    return text.getBytes(StandardCharsets.UTF_8).length > max;
  }

  /** Decodes a message (an unreadable one closes with 3501), answers its pongs and queues its commands. */
  private void receive(Supplier<List<ClientCommand>> decode, int size) {
    List<ClientCommand> read;
    try {
      read = decode.get();
    } catch (BadMessageException e) {
      session.disconnect(DisconnectCode.BAD_REQUEST);
      return;
    }
    int added = 0;
    for (int i = 0, n = read.size(); i < n; i++) {
      ClientCommand cmd = read.get(i);
      if (cmd.kind() == ClientCommand.Kind.PONG) {
        // A pong does not queue behind commands still waiting for PostgreSQL (a publish awaiting its commit):
        // under load that delay would close a healthy client with 3012.
        session.onPong();
        if (session.state == Session.State.CLOSED) {
          return;
        }
      } else {
        if (waiting == null) {
          waiting = new ArrayDeque<>(4);
        }
        waiting.add(cmd);
        added++;
      }
    }
    if (added > 0) {
      queued += added;
      waiting.add(new Answered(size));
      pendingBytes += size;
      session.services.budget().take(size);
      if (!paused && overBound()) {
        paused = true;
        session.transport.pauseReading();
      }
    }
    pump();
  }

  private boolean overBound() {
    return pendingBytes > session.limits().maxPendingCommandBytes()
        || queued + 1 > session.limits().maxPendingCommands()
        || session.services.budget().over();
  }

  /** Reads again if paused and back to half of this connection's bounds with the node under its budget. */
  void resumeIfBelow() {
    if (paused && session.state != Session.State.CLOSED
        && pendingBytes <= session.limits().maxPendingCommandBytes() / 2
        && queued <= session.limits().maxPendingCommands() / 2
        && !session.services.budget().over()) {
      paused = false;
      session.transport.resumeReading();
    }
  }

  /** Whether reading is paused: the connection (or the node) holds as much unanswered as it may. */
  boolean paused() {
    return paused;
  }

  /**
   * Called once a second by the session's tick: reads again if paused for the node's budget (nothing of this
   * connection's may answer to resume it). Returns null when idle, for the session to drop this queue, else itself.
   */
  CommandQueue tick() {
    resumeIfBelow();
    return idle() ? null : this;
  }

  /**
   * Nothing waiting, running, counted or paused, and the rate limit's bucket full again: a new queue would act
   * the same, so the session may drop this one (idle connections are what a node holds most).
   */
  boolean idle() {
    return !busy && waiting == null && queued == 0 && pendingBytes == 0 && !paused
        && rate.full(session.limits().commandRatePerSecond(), session.limits().commandBurst(), System.nanoTime());
  }

  /** Drops the waiting commands: none of them runs (after a failed connect, or a close). */
  void clear() {
    waiting = null;
    queued = 0;
    session.services.budget().give(pendingBytes);
    pendingBytes = 0;
    resumeIfBelow();
  }

  /** Runs waiting commands, one at a time, until one has to wait for its answer or none is left. */
  private void pump() {
    while (!busy && waiting != null && session.state != Session.State.CLOSED) {
      Object next = waiting.poll();
      if (waiting.isEmpty()) {
        waiting = null;
      }
      if (next instanceof Answered a) {
        pendingBytes -= a.bytes();
        session.services.budget().give(a.bytes());
        resumeIfBelow();
        continue;
      }
      queued--;
      busy = true;
      Future<Void> done = CommandDispatch.run(session, (ClientCommand) next);
      if (done.isComplete()) {
        busy = false;
      } else {
        done.onComplete(v -> {
          busy = false;
          pump();
        });
        return;
      }
    }
  }
}
