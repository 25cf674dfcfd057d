package io.switchboard.pusher;

import io.switchboard.config.PusherConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Pusher's HMAC-SHA256 signatures (channel auth, HTTP API) and the body MD5, compared in constant time. */
final class PusherSignatures {
  private PusherSignatures() {}

  static String hmacHex(String secret, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  static String md5Hex(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("MD5 is part of every JDK", e);
    }
  }

  static boolean same(String expected, String given) {
    return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        given.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A subscription's {@code auth}: {@code key:HMAC(secret, "socket_id:channel")}, with {@code ":channel_data"}
   * appended for presence channels.
   */
  static boolean channelAuthValid(PusherConfig.App app, String socketId, String channel, String channelData,
      String auth) {
    String signed = socketId + ":" + channel + (channelData == null ? "" : ":" + channelData);
    return same(app.key() + ":" + hmacHex(app.secret(), signed), auth);
  }
}
