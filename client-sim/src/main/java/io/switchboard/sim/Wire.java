package io.switchboard.sim;

/**
 * The few frames client-sim writes, and a scanner for the pushes it reads most. Publication pushes are scanned
 * without a JSON parser (they are most of the traffic); replies and rarer pushes are parsed in full by the
 * caller. The payload's own keys ({@code sim_ts}, {@code sim_seq}, {@code sim_pad}) appear nowhere else in a frame.
 */
public final class Wire {
  public static final String PING = "{}";
  static final String PUSH_PREFIX = "{\"push\":{\"channel\":\"";
  static final String TS_KEY = "\"sim_ts\":";
  static final String SEQ_KEY = "\"sim_seq\":";
  static final String OFFSET_KEY = "\"offset\":";
  static final String PUB_KEY = "\"pub\":{";

  private Wire() {}

  /** A JSON string body (without quotes). */
  public static String escape(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\' || c < 0x20) {
        if (sb == null) {
          sb = new StringBuilder(s.length() + 8).append(s, 0, i);
        }
        switch (c) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\t' -> sb.append("\\t");
          default -> sb.append(String.format("\\u%04x", (int) c));
        }
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? s : sb.toString();
  }

  /** The publication data: send time, sequence number and padding up to about {@code payloadBytes}. */
  public static String payload(long tsMicros, long seq, int payloadBytes) {
    StringBuilder sb = new StringBuilder(Math.max(64, payloadBytes + 8));
    sb.append("{\"sim_ts\":").append(tsMicros).append(",\"sim_seq\":").append(seq).append(",\"sim_pad\":\"");
    int pad = payloadBytes - sb.length() - 2;
    for (int i = 0; i < pad; i++) {
      sb.append('x');
    }
    return sb.append("\"}").toString();
  }

  /** {@code connect}, asking to recover server-side subscriptions where {@code subs} is given (JSON object body). */
  public static String connect(long id, String token, String subs) {
    StringBuilder sb = new StringBuilder(128 + (token == null ? 0 : token.length()));
    sb.append("{\"id\":").append(id).append(",\"connect\":{\"name\":\"client-sim\"");
    if (token != null) {
      sb.append(",\"token\":\"").append(token).append('"');
    }
    if (subs != null) {
      sb.append(",\"subs\":").append(subs);
    }
    return sb.append("}}").toString();
  }

  public static String subscribe(long id, String channel) {
    return "{\"id\":" + id + ",\"subscribe\":{\"channel\":\"" + escape(channel) + "\"}}";
  }

  public static String subscribeRecover(long id, String channel, long offset, String epoch) {
    return "{\"id\":" + id + ",\"subscribe\":{\"channel\":\"" + escape(channel) + "\",\"recover\":true,\"offset\":"
        + offset + ",\"epoch\":\"" + escape(epoch == null ? "" : epoch) + "\"}}";
  }

  /** The body of a {@code subs} entry asking to recover from {@code offset}/{@code epoch}. */
  public static String recoverEntry(long offset, String epoch) {
    return "{\"recover\":true,\"offset\":" + offset + ",\"epoch\":\"" + escape(epoch == null ? "" : epoch) + "\"}";
  }

  public static String publish(long id, String channel, String data) {
    return "{\"id\":" + id + ",\"publish\":{\"channel\":\"" + escape(channel) + "\",\"data\":" + data + "}}";
  }

  /** The channel of a push in Switchboard's own key order, or null when the line has another shape. */
  public static String pushChannel(String line) {
    if (!line.startsWith(PUSH_PREFIX)) {
      return null;
    }
    int end = line.indexOf('"', PUSH_PREFIX.length());
    return end < 0 ? null : line.substring(PUSH_PREFIX.length(), end);
  }

  /** Whether a push line (see {@link #pushChannel}) carries a publication. */
  public static boolean isPub(String line, String channel) {
    return line.startsWith(PUB_KEY, PUSH_PREFIX.length() + channel.length() + 2);
  }

  /** The publication's offset (0 when it has none): the last {@code "offset":} of the line. */
  public static long offset(String line) {
    int i = line.lastIndexOf(OFFSET_KEY);
    return i < 0 ? 0 : parseLong(line, i + OFFSET_KEY.length());
  }

  /** The embedded send time in microseconds, or -1. */
  public static long timestamp(String line) {
    int i = line.indexOf(TS_KEY);
    return i < 0 ? -1 : parseLong(line, i + TS_KEY.length());
  }

  /** The embedded sequence number, or -1. */
  public static long sequence(String line) {
    int i = line.indexOf(SEQ_KEY);
    return i < 0 ? -1 : parseLong(line, i + SEQ_KEY.length());
  }

  /** The reply id of a line starting with {@code {"id":N}, or -1. */
  public static long replyId(String line) {
    return line.startsWith("{\"id\":") ? parseLong(line, 6) : -1;
  }

  static long parseLong(String s, int from) {
    long v = 0;
    int i = from;
    boolean neg = i < s.length() && s.charAt(i) == '-';
    if (neg) {
      i++;
    }
    int digits = 0;
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        break;
      }
      v = v * 10 + (c - '0');
      digits++;
    }
    if (digits == 0) {
      return -1;
    }
    return neg ? -v : v;
  }
}
