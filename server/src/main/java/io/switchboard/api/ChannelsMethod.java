package io.switchboard.api;

import io.switchboard.core.NodeStats;
import io.switchboard.codec.json.JsonParams;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code channels {pattern?}}: the channels with subscribers on any node, {@code {channels:{ch:{num_clients}}}}.
 * The pattern is a glob over the whole name: {@code *} any run of characters, {@code ?} one character.
 */
final class ChannelsMethod implements ApiMethod {
  private final NodeStats stats;

  ChannelsMethod(NodeStats stats) {
    this.stats = stats;
  }

  @Override
  public Future<JsonObject> call(JsonObject p) {
    String pattern = JsonParams.optString(p, "pattern");
    Pattern glob = pattern == null || pattern.isEmpty() ? null : glob(pattern);
    return stats.channels().map(counts -> {
      JsonObject channels = new JsonObject();
      for (Map.Entry<String, Integer> e : counts.entrySet()) {
        if (glob == null || glob.matcher(e.getKey()).matches()) {
          channels.put(e.getKey(), new JsonObject().put("num_clients", e.getValue()));
        }
      }
      return new JsonObject().put("channels", channels);
    });
  }

  static Pattern glob(String pattern) {
    StringBuilder re = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      if (c == '*' || c == '?') {
        re.append(Pattern.quote(literal.toString())).append(c == '*' ? ".*" : ".");
        literal.setLength(0);
      } else {
        literal.append(c);
      }
    }
    re.append(Pattern.quote(literal.toString()));
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }
}
