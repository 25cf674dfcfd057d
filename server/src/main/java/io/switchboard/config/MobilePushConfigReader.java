package io.switchboard.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads {@code push.fcm} and {@code push.apns}. A provider is off while its main key (the credentials or key
 * file) is empty; a provider with some keys set but not all is refused, naming the missing key and its
 * environment variable, so a half-finished deployment fails at start rather than dropping pushes.
 */
final class MobilePushConfigReader {
  static final Map<String, String> ENV = Map.ofEntries(
      Map.entry("push.fcm.credentials_file", "SWITCHBOARD_PUSH_FCM_CREDENTIALS_FILE"),
      Map.entry("push.fcm.endpoint", "SWITCHBOARD_PUSH_FCM_ENDPOINT"),
      Map.entry("push.fcm.trust_file", "SWITCHBOARD_PUSH_FCM_TRUST_FILE"),
      Map.entry("push.apns.key_file", "SWITCHBOARD_PUSH_APNS_KEY_FILE"),
      Map.entry("push.apns.key_id", "SWITCHBOARD_PUSH_APNS_KEY_ID"),
      Map.entry("push.apns.team_id", "SWITCHBOARD_PUSH_APNS_TEAM_ID"),
      Map.entry("push.apns.topic", "SWITCHBOARD_PUSH_APNS_TOPIC"),
      Map.entry("push.apns.endpoint", "SWITCHBOARD_PUSH_APNS_ENDPOINT"),
      Map.entry("push.apns.trust_file", "SWITCHBOARD_PUSH_APNS_TRUST_FILE"));

  private MobilePushConfigReader() {}

  static FcmConfig fcm(Section s) {
    String credentials = s.string("credentials_file").strip();
    String endpoint = s.string("endpoint").strip();
    String trust = s.string("trust_file").strip();
    s.finish();
    URI uri = url(s, "endpoint", endpoint);
    if (credentials.isEmpty()) {
      if (!trust.isEmpty() || !endpoint.equals(FcmConfig.DEFAULT_ENDPOINT)) {
        throw missing(s, "credentials_file", !trust.isEmpty() ? "trust_file" : "endpoint");
      }
      return null;
    }
    return new FcmConfig(readable(s, "credentials_file", credentials), uri,
        trust.isEmpty() ? null : readable(s, "trust_file", trust));
  }

  static ApnsConfig apns(Section s) {
    String keyFile = s.string("key_file").strip();
    String keyId = s.string("key_id").strip();
    String teamId = s.string("team_id").strip();
    String topic = s.string("topic").strip();
    String endpoint = s.string("endpoint").strip();
    String trust = s.string("trust_file").strip();
    s.finish();
    URI uri = url(s, "endpoint", endpoint);
    String[][] required = {{"key_file", keyFile}, {"key_id", keyId}, {"team_id", teamId}, {"topic", topic}};
    String setOne = null;
    for (String[] kv : required) {
      if (!kv[1].isEmpty()) {
        setOne = kv[0];
      }
    }
    if (setOne == null && trust.isEmpty() && endpoint.equals(ApnsConfig.DEFAULT_ENDPOINT)) {
      return null;
    }
    for (String[] kv : required) {
      if (kv[1].isEmpty()) {
        throw missing(s, kv[0], setOne != null ? setOne : !trust.isEmpty() ? "trust_file" : "endpoint");
      }
    }
    return new ApnsConfig(readable(s, "key_file", keyFile), keyId, teamId, topic, uri,
        trust.isEmpty() ? null : readable(s, "trust_file", trust));
  }

  private static ConfigException missing(Section s, String key, String because) {
    return new ConfigException(s.key(key), "is required when " + s.key(because) + " is set (" + env(s, key)
        + "); leave every " + s.path + " key unset to turn it off");
  }

  private static String env(Section s, String key) {
    return ENV.getOrDefault(s.key(key), s.key(key));
  }

  private static Path readable(Section s, String key, String file) {
    Path p = Path.of(file);
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw new ConfigException(s.key(key), "cannot read the file '" + file + "' (" + env(s, key) + ")");
    }
    return p;
  }

  private static URI url(Section s, String key, String value) {
    try {
      URI uri = new URI(value);
      if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null
          || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))) {
        throw new ConfigException(s.key(key), "expected an origin such as https://host[:port], got '" + value
            + "' (" + env(s, key) + ")");
      }
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), null, null, null);
    } catch (URISyntaxException e) {
      throw new ConfigException(s.key(key), "not a URL: " + e.getMessage() + " (" + env(s, key) + ")");
    }
  }
}
