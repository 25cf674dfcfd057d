package io.switchboard.sim;

import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/** HdrHistogram helpers: values are recorded in microseconds and reported in milliseconds. */
public final class Histo {
  private Histo() {}

  public static Histogram create() {
    Histogram h = new Histogram(3);
    h.setAutoResize(true);
    return h;
  }

  /** Records {@code micros}, clamping the negative values a clock step could produce to zero. */
  public static void record(Histogram h, long micros) {
    h.recordValue(Math.max(0, micros));
  }

  public static double ms(long micros) {
    return Math.round(micros / 10.0) / 100.0; // 0.01 ms resolution
  }

  public static double percentileMs(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : ms(h.getValueAtPercentile(percentile));
  }

  /** {@code count, mean, p50, p90, p99, p999, max} in milliseconds. */
  public static JsonObject summary(Histogram h) {
    boolean empty = h.getTotalCount() == 0;
    return new JsonObject()
        .put("count", h.getTotalCount())
        .put("mean", empty ? 0 : Math.round(h.getMean() / 10.0) / 100.0)
        .put("p50", percentileMs(h, 50))
        .put("p90", percentileMs(h, 90))
        .put("p99", percentileMs(h, 99))
        .put("p999", percentileMs(h, 99.9))
        .put("max", empty ? 0 : ms(h.getMaxValue()));
  }

  public static String encode(Histogram h) {
    ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int n = h.encodeIntoCompressedByteBuffer(buf);
    byte[] bytes = new byte[n];
    buf.flip();
    buf.get(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  public static Histogram decode(String b64) {
    if (b64 == null || b64.isEmpty()) {
      return create();
    }
    try {
      Histogram h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(b64)), 0);
      h.setAutoResize(true);
      return h;
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("bad histogram encoding", e);
    }
  }
}
