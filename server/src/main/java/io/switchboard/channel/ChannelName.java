package io.switchboard.channel;

import java.util.List;

/**
 * A parsed channel name: {@code namespace:rest}, where the namespace is the part before the first
 * {@code :} ("" when there is none). After the last {@code #} comes a comma-separated list of the users
 * allowed in a user-limited channel ({@code dm:#alice,bob}, {@code notify:#alice}). A leading {@code $}
 * (on the name or after the namespace) marks a private channel that needs a subscription token.
 */
public record ChannelName(String raw, String namespace, String local, List<String> allowedUsers, boolean isPrivate) {

  public static ChannelName parse(String raw) {
    int colon = raw.indexOf(':');
    String ns = colon < 0 ? "" : raw.substring(0, colon);
    String local = colon < 0 ? raw : raw.substring(colon + 1);
    int hash = raw.lastIndexOf('#');
    List<String> users = null;
    if (hash >= 0) {
      String list = raw.substring(hash + 1);
      users = list.isEmpty() ? List.of() : List.of(list.split(",", -1));
    }
    boolean priv = raw.startsWith("$") || local.startsWith("$");
    return new ChannelName(raw, ns, local, users, priv);
  }

  public boolean userLimited() {
    return allowedUsers != null;
  }

  /** The personal channel of a user in a namespace: {@code notify:#alice}. */
  public static String personal(String namespace, String user) {
    return namespace + ":#" + user;
  }
}
