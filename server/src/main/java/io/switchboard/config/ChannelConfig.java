package io.switchboard.config;

import java.util.Map;

/**
 * Channel namespaces. {@code defaults} applies to channels without a namespace (no {@code :}).
 * When {@code subscribeToPersonal} is on, every authenticated connection is server-side subscribed to
 * {@code <personalNamespace>:#<user>}.
 */
public record ChannelConfig(
    NamespaceOptions defaults,
    Map<String, NamespaceOptions> namespaces,
    boolean subscribeToPersonal,
    String personalNamespace,
    int maxChannelLength) {

  /** The options of a namespace, or null when it is not defined (error 102). */
  public NamespaceOptions namespace(String name) {
    return name.isEmpty() ? defaults : namespaces.get(name);
  }
}
