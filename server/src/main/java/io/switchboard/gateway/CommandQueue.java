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
 */
final class CommandQueue {
  private final Session session;
  /** Commands waiting for the one in progress; null when none wait (nearly always, on an idle connection). */
  private ArrayDeque<ClientCommand> waiting;
  private boolean busy;

  CommandQueue(Session session) {
    this.session = session;
  }

  /** A text message from the client. */
  void read(String message) {
    if (startRead(!session.codec.binary()) && !tooBig(longerThan(message, session.limits().maxMessageBytes()))) {
      receive(() -> session.codec.decode(message));
    }
  }

  /** A binary message from the client. */
  void read(Buffer message) {
    if (startRead(session.codec.binary()) && !tooBig(message.length() > session.limits().maxMessageBytes())) {
      receive(() -> session.codec.decode(message));
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
  private void receive(Supplier<List<ClientCommand>> decode) {
    List<ClientCommand> read;
    try {
      read = decode.get();
    } catch (BadMessageException e) {
      session.disconnect(DisconnectCode.BAD_REQUEST);
      return;
    }
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
      }
    }
    pump();
  }

  /** Drops the waiting commands: none of them runs (after a failed connect, or a close). */
  void clear() {
    waiting = null;
  }

  /** Runs waiting commands, one at a time, until one has to wait for its answer or none is left. */
  private void pump() {
    while (!busy && waiting != null && session.state != Session.State.CLOSED) {
      ClientCommand command = waiting.poll();
      if (waiting.isEmpty()) {
        waiting = null;
      }
      busy = true;
      Future<Void> done = CommandDispatch.run(session, command);
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
