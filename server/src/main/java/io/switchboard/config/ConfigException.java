package io.switchboard.config;

/** A configuration that must not start the server. The message names the offending key. */
public final class ConfigException extends RuntimeException {
  private final String key;

  public ConfigException(String key, String message) {
    super(key + ": " + message);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
