package io.switchboard.gateway;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.ClientCodec;
import io.switchboard.protocol.DisconnectCode;
import io.switchboard.transport.Transport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A session's output between two flushes: the frames queued this loop turn, and the pushes held back while
 * connect builds its reply. The loop's writer flushes it once at the end of the turn, coalescing its frames
 * with the codec's join into messages of at most {@link #COALESCE_LIMIT} bytes.
 *
 * <p>While the transport is not writable, frames stay queued here; past {@code max_outbound_bytes} the client
 * is too slow to keep up and is closed with 3008 (it recovers from history on reconnect). Keeping the backlog
 * here rather than in Netty lets the close reach the client right after what it already had.
 *
 * <p>A session has one only while there is something in it (see {@link #idle}): an idle connection keeps
 * none, and a turn's output costs the same two allocations as a plain list would, one when there is one frame.
 */
final class OutboundQueue {
  /** Clients limit message sizes (often to 64 KiB), so coalesced output is cut into messages this big. */
  static final int COALESCE_LIMIT = 60 * 1024;

  private final Session session;
  /** The frame while there is only one. */
  private byte[] first;
  /** Every frame, from the second on; null before. */
  private byte[][] frames;
  private int count;
  private boolean dirty;
  private boolean awaitingDrain;
  /** While connect builds its reply, pushes for its server-side subscriptions wait here; null otherwise. */
  private List<byte[]> held;

  OutboundQueue(Session session) {
    this.session = session;
  }

  /** Queues a frame for this turn's flush. */
  void add(byte[] frame) {
    if (count == 0) {
      first = frame;
    } else {
      if (frames == null) {
        frames = new byte[8][];
        frames[0] = first;
      } else if (count == frames.length) {
        frames = Arrays.copyOf(frames, count * 2);
      }
      frames[count] = frame;
    }
    count++;
    if (!dirty) {
      dirty = true;
      session.gateway.markDirty(session);
    }
  }

  /** Holds pushes from now until {@link #takeHeld}. */
  void hold() {
    held = new ArrayList<>();
  }

  /** Holds {@code frame} if pushes are held now; returns whether it did. */
  boolean holdIfHolding(byte[] frame) {
    if (held == null) {
      return false;
    }
    held.add(frame);
    return true;
  }

  /** Ends holding; returns what was held (null if nothing was). */
  List<byte[]> takeHeld() {
    List<byte[]> h = held;
    held = null;
    return h;
  }

  boolean hasFrames() {
    return count > 0;
  }

  /** Nothing queued, held or waiting for the transport: the session may drop this queue. */
  boolean idle() {
    return count == 0 && held == null && !awaitingDrain;
  }

  /** Writes what is queued, or keeps it while the transport is full. Returns {@code !idle()} afterwards. */
  boolean flush() {
    dirty = false;
    if (count == 0) {
      return !idle();
    }
    Transport transport = session.transport;
    if (session.state == Session.State.CLOSED || transport.isClosed()) { // the peer may have gone this turn
      clear();
      return !idle();
    }
    if (transport.writeQueueFull()) {
      if (queuedBytes() > session.limits().maxOutboundBytes()) {
        clear();
        session.disconnect(DisconnectCode.SLOW);
        return false;
      }
      if (!awaitingDrain) {
        awaitingDrain = true;
        transport.drainHandler(() -> {
          awaitingDrain = false;
          session.flush();
        });
      }
      return true;
    }
    write(transport, session.codec);
    clear();
    return !idle();
  }

  private void write(Transport transport, ClientCodec codec) {
    if (count == 1) {
      transport.write(codec.message(first));
      return;
    }
    int start = 0;
    long size = 0;
    for (int i = 0; i < count; i++) {
      int len = frames[i].length;
      int add = codec.joinedLength(len, i == start);
      if (i > start && size + add > COALESCE_LIMIT) {
        transport.write(message(codec, start, i));
        start = i;
        size = 0;
        add = codec.joinedLength(len, true);
      }
      size += add;
    }
    transport.write(message(codec, start, count));
  }

  private ByteBuf message(ClientCodec codec, int from, int to) {
    return to - from == 1 ? codec.message(frames[from]) : codec.join(frames, from, to);
  }

  private long queuedBytes() {
    if (count == 1) {
      return first.length;
    }
    long n = 0;
    for (int i = 0; i < count; i++) {
      n += frames[i].length;
    }
    return n;
  }

  private void clear() {
    first = null;
    frames = null;
    count = 0;
  }
}
