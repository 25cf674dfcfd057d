package io.switchboard.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No Vert.x client is used straight off its factory ({@code vertx.create…Client().connect(..)}): what
 * the factory returns is a wrapper that Vert.x closes, with every connection of the client, once a GC finds it
 * unreachable, and the sockets and requests made through it do not reference it. Such a client's handshakes
 * fail now and then with "Connection closed" (most often right after a node starts, when GCs are frequent;
 * see {@code EarlyHandshakesTest}). Keep the client in a field or a variable used (closed) after the last use.
 */
class HeldClientsTest {
  private static final Pattern FACTORY =
      Pattern.compile("\\bcreate(WebSocket|Http|Net)Client\\s*\\(|\\bWebClient\\.create\\s*\\(");

  @Test
  void noClientIsDroppedRightAfterItIsMade() throws IOException {
    List<String> dropped = new ArrayList<>();
    for (String root : List.of("src/main/java", "src/test/java", "../client-sim/src/main/java")) {
      Path dir = Path.of(root);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        files.filter(f -> f.toString().endsWith(".java")).forEach(f -> dropped.addAll(droppedIn(f)));
      }
    }
    assertThat(dropped).as("clients used straight off their factory").isEmpty();
  }

  @Test
  void theCheckSeesAChainedFactoryCall() {
    assertThat(dropped("ws = vertx.create" + "WebSocketClient(new WebSocketClientOptions().setX(1))\n  .webSocket();"))
        .isTrue();
    assertThat(dropped("WebSocketClient c = vertx.create" + "WebSocketClient(new Options().setX(1));")).isFalse();
  }

  private static List<String> droppedIn(Path file) {
    try {
      return dropped(Files.readString(file)) ? List.of(file.toString()) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether some factory call's result is used at once ({@code create...(...).x}) rather than kept. */
  static boolean dropped(String source) {
    Matcher m = FACTORY.matcher(source);
    while (m.find()) {
      int depth = 1;
      int i = m.end();
      while (i < source.length() && depth > 0) {
        char c = source.charAt(i++);
        depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      }
      while (i < source.length() && Character.isWhitespace(source.charAt(i))) {
        i++;
      }
      if (i < source.length() && source.charAt(i) == '.') {
        return true;
      }
    }
    return false;
  }
}
