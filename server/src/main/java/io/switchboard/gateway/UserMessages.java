package io.switchboard.gateway;

import io.switchboard.Node;
import io.switchboard.protocol.Frames;
import io.vertx.core.json.JsonObject;

/**
 * Messages to all connections of a user, wherever they are: this node's event loops, and through
 * {@link io.switchboard.cluster.Peers} every other node. Used for the read-marker sync between devices.
 */
public final class UserMessages {
  private UserMessages() {}

  /** Sends an async {@code message} push to every connection of {@code user} except {@code exceptClient}. */
  static void toOtherSessions(Node node, String user, String exceptClient, Object data) {
    deliverHere(node, user, exceptClient, data);
    node.peers.tell(new JsonObject().put("op", "message").put("user", user).put("except", exceptClient)
        .put("data", data));
  }

  private static void deliverHere(Node node, String user, String exceptClient, Object data) {
    String frame = Frames.messagePush(data);
    node.hub.onEachLoop(loop -> loop.forUser(user, s -> {
      if (!s.clientId().equals(exceptClient)) {
        s.send(frame);
      }
    }));
  }

  /** Applies what other nodes tell about users to this node's connections. */
  public static void install(Node node) {
    node.peers.onTold(a -> {
      if ("message".equals(a.getString("op"))) {
        deliverHere(node, a.getString("user"), a.getString("except"), a.getValue("data"));
      }
    });
  }
}
