package io.switchboard.sim;

import java.util.List;

/**
 * What one simulated connection does, decided by the scenario from the connection's global index.
 *
 * @param user the token's {@code sub}
 * @param channels channels the client subscribes to itself, each checked for loss and order
 * @param personal the server-side personal channel to check (announced in the connect reply), or null
 * @param publishChannel where the client publishes every {@code publishInterval} once told to go, or null
 * @param reconnect whether the connection reconnects and recovers after an unexpected close
 */
public record ConnPlan(String user, List<String> channels, String personal, String publishChannel,
                       boolean reconnect) {}
