package io.switchboard.broker;

import io.switchboard.codec.ClientCodec;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import io.switchboard.ops.FailureLog;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The frames of one push, one per codec ({@link ClientCodec#slot()}), each encoded the first time a subscriber
 * speaking that codec needs it: nothing is encoded for a codec nobody listening uses.
 *
 * <p>One instance is shared by every event loop the push goes to, and that is race-free:
 * <ul>
 *   <li>what is encoded (a publication, a join) is immutable, and each loop got the instance through
 *       {@code runOnContext}, which orders its construction before the loop reads it;
 *   <li>a slot is read with acquire semantics and filled by a volatile compare-and-exchange, so a loop that
 *       sees a frame also sees every byte written into it before it was stored;
 *   <li>two loops finding a slot empty at once both encode (a codec is deterministic: the same bytes), the
 *       first store wins and the other loop drops its copy for the winner's.
 * </ul>
 * So each codec is encoded at most once per loop and, unless loops race, once per node.
 */
abstract class CodecFrames {
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(byte[][].class);
  /** Marks a slot whose push could not be encoded, so that nobody tries again. */
  private static final byte[] UNENCODABLE = new byte[0];
  private static final FailureLog FAILURES = new FailureLog(LoggerFactory.getLogger(CodecFrames.class), Level.ERROR,
      "pushes that could not be encoded");

  private final byte[][] frames = new byte[ClientCodec.SLOTS][];

  /**
   * The frame for {@code codec}, encoding it on first use. Shared: never modify it. Null when the push cannot be
   * encoded in that codec (logged once): its subscribers go without it and the others still get it, rather than
   * the failure stopping the channel's delivery on this loop.
   */
  public final byte[] frame(ClientCodec codec) {
    int slot = codec.slot();
    byte[] frame = (byte[]) SLOT.getAcquire(frames, slot);
    if (frame == null) {
      byte[] made;
      try {
        made = encode(codec);
      } catch (RuntimeException e) {
        FAILURES.failed("a push of " + this + " (" + codec.name() + ") could not be encoded", e);
        made = UNENCODABLE;
      }
      byte[] won = (byte[]) SLOT.compareAndExchange(frames, slot, (byte[]) null, made);
      frame = won == null ? made : won;
    }
    return frame == UNENCODABLE ? null : frame;
  }

  abstract byte[] encode(ClientCodec codec);
}
