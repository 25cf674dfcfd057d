package io.switchboard.sim;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The Centrifugo client protocol a run speaks: JSON text frames, Protobuf binary frames, or both, connection by
 * connection ({@link #MIXED}: even run-wide indices JSON, odd ones Protobuf, so every slice of the run, and so
 * every child process, is half and half); or not Centrifugo at all: {@link #PUSHER}, the Pusher Channels protocol 7
 * (the URL is then {@code ws://HOST:PORT/app/KEY}, Switchboard's or Soketi's).
 */
public enum Protocol {
  JSON,
  PROTOBUF,
  MIXED,
  PUSHER;

  /** Whether connection {@code index} (0-based over the whole run) speaks Protobuf. */
  public boolean protobuf(int index) {
    return this == PROTOBUF || this == MIXED && (index & 1) == 1;
  }

  /** As on the command line and in the reports. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The {@code --protocol} value, whatever the case. */
  public static final class Converter implements ITypeConverter<Protocol> {
    @Override
    public Protocol convert(String value) {
      for (Protocol p : values()) {
        if (p.label().equalsIgnoreCase(value == null ? "" : value.trim())) {
          return p;
        }
      }
      throw new TypeConversionException("'" + value + "' is not a protocol (json, protobuf, mixed or pusher)");
    }
  }
}
