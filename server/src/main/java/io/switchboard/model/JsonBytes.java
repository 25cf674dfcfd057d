package io.switchboard.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Whether bytes can travel inside a JSON protocol frame as they are: a JSON client embeds publication data
 * verbatim, so data from a client that is not bound to JSON (Protobuf) must be checked before a JSON subscriber
 * can get it.
 */
public final class JsonBytes {
  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonBytes() {}

  /**
   * Exactly one JSON value, in valid UTF-8, without a line break: JSON clients split a message into frames at
   * newlines, and a browser fails a text frame that is not UTF-8.
   */
  public static boolean isJsonLine(byte[] data) {
    if (data == null || data.length == 0) {
      return false;
    }
    for (byte b : data) {
      if (b == '\n' || b == '\r') {
        return false;
      }
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString();
    } catch (CharacterCodingException e) {
      return false;
    }
    try (JsonParser p = FACTORY.createParser(text)) {
      if (p.nextToken() == null) {
        return false;
      }
      p.skipChildren();
      return p.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * How deeply the JSON text {@code data} nests (a scalar 0, {@code {"a":[1]}} 2), counting no further than
   * {@code stopAbove + 1}. A scan of the bytes, not a parse: brackets inside strings do not count, and what it
   * says about bytes that are not JSON means nothing.
   */
  public static int depth(byte[] data, int stopAbove) {
    int depth = 0;
    int max = 0;
    boolean inString = false;
    for (int i = 0, n = data.length; i < n; i++) {
      byte b = data[i];
      if (inString) {
        if (b == '\\') {
          i++; // the escaped byte, whatever it is
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '{' || b == '[') {
        if (++depth > max) {
          max = depth;
          if (max > stopAbove) {
            return max;
          }
        }
      } else if (b == '}' || b == ']') {
        depth--;
      }
    }
    return max;
  }

  /**
   * Refuses (bad request) data over {@code maxBytes}, and JSON data ({@code json}) nested deeper than
   * {@code maxDepth}: every reply that carries it must stay encodable (Jackson writes at most 1000 levels).
   */
  public static void check(byte[] data, boolean json, int maxDepth, int maxBytes) {
    if (data == null) {
      return;
    }
    if (data.length > maxBytes) {
      throw new CoreException(Failure.BAD_REQUEST, "data is larger than " + maxBytes + " bytes");
    }
    if (json && depth(data, maxDepth) > maxDepth) {
      throw new CoreException(Failure.BAD_REQUEST, "data nests deeper than " + maxDepth + " levels");
    }
  }
}
