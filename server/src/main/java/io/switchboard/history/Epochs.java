package io.switchboard.history;

import java.security.SecureRandom;

/** Stream epochs: random strings made once when a stream is created. */
public final class Epochs {
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();
  public static final int LENGTH = 10;

  private Epochs() {}

  public static String newEpoch() {
    char[] out = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(out);
  }
}
