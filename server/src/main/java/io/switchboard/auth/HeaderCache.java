package io.switchboard.auth;

import com.nimbusds.jose.JWSHeader;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JOSE headers already parsed, by their exact Base64URL text. An issuer signs every token with the same
 * header, so parsing it (Base64 plus a JSON parse in nimbus) once instead of per connect is safe: the same
 * text always parses to the same header. Only plain headers are kept (payload Base64URL-encoded, no critical
 * parameters); the others are parsed every time. Bounded, so tokens with ever new headers cannot grow it;
 * past the bound headers are simply parsed again.
 */
final class HeaderCache {
  static final int MAX = 64;

  private final Map<String, JWSHeader> headers = new ConcurrentHashMap<>();

  /** The header parsed earlier from exactly this text, or null. */
  JWSHeader get(String base64) {
    return headers.get(base64);
  }

  void remember(JWSHeader header) {
    if (headers.size() < MAX && header.isBase64URLEncodePayload() && header.getCriticalParams() == null
        && header.getParsedBase64URL() != null) {
      headers.putIfAbsent(header.getParsedBase64URL().toString(), header);
    }
  }
}
