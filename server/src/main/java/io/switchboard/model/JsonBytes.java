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
}
