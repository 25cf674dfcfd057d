package io.switchboard.gateway;

import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Client ids: random (version 4) UUIDs, as UUID.randomUUID() makes them, but drawn from a DRBG per thread.
 * UUID.randomUUID() takes every id of the process from one shared NativePRNG (a lock, and reads of
 * /dev/urandom), which event loops contend for in a connect storm. Ids stay unpredictable.
 */
final class ClientIds {
  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(ClientIds::drbg);

  private ClientIds() {}

  static String next() {
    byte[] b = new byte[16];
    RANDOM.get().nextBytes(b);
    b[6] = (byte) ((b[6] & 0x0f) | 0x40); // version 4
    b[8] = (byte) ((b[8] & 0x3f) | 0x80); // IETF variant
    ByteBuffer buf = ByteBuffer.wrap(b);
    return new UUID(buf.getLong(), buf.getLong()).toString();
  }

  private static SecureRandom drbg() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }
}
