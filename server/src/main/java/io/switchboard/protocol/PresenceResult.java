package io.switchboard.protocol;

import io.switchboard.model.ClientInfo;
import java.util.Map;

/** {@code presence}: client id to who it is. */
public record PresenceResult(Map<String, ClientInfo> presence) implements ClientResult {}
