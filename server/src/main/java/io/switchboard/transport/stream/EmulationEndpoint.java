package io.switchboard.transport.stream;

import com.google.protobuf.InvalidProtocolBufferException;
import io.switchboard.codec.protobuf.wire.EmulationRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /emulation}: a later command batch of an HTTP-streaming or SSE session, sent by centrifuge-js as
 * {@code {"session","node","data"}} (JSON; {@code data} is the commands as one string) or as a Protobuf
 * {@code EmulationRequest} ({@code Content-Type: application/octet-stream}; {@code data} the encoded commands).
 * The {@link EmulationRouter} takes it to the session, on whichever node holds it. Answers: 204 delivered,
 * 400 a body that is not an emulation request, 404 no such session or node, 413 too long, 429 the session holds
 * {@code client.max_pending_command_bytes} (or commands) unanswered, or the node its budget, so these commands
 * were dropped, 500 the node did not answer in time. The client does not read the answer; it is for people and
 * proxies.
 */
final class EmulationEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(EmulationEndpoint.class);

  /** What the request names; {@code data} in the session's codec. */
  record Request(String node, String session, byte[] data) {}

  private final ClientRequests requests;
  private final EmulationRouter router;

  EmulationEndpoint(ClientRequests requests, EmulationRouter router) {
    this.requests = requests;
    this.router = router;
  }

  void handle(HttpServerRequest req) {
    if (!requests.admit(req, "POST, OPTIONS")) {
      return;
    }
    if (req.method() != HttpMethod.POST) {
      ClientRequests.end(req, 405);
      return;
    }
    requests.body(req, body -> {
      String type = req.getHeader(HttpHeaders.CONTENT_TYPE);
      Request r = type != null && type.startsWith("application/octet-stream") ? protobuf(body) : json(body);
      if (r == null) {
        ClientRequests.end(req, 400);
        return;
      }
      router.deliver(r.node(), r.session(), r.data()).onComplete(ar -> {
        if (ar.succeeded()) {
          ClientRequests.end(req, ar.result() ? 204 : 404);
        } else if (ar.cause() instanceof NoSuchElementException) {
          ClientRequests.end(req, 404);
        } else if (ar.cause() instanceof EmulationRouter.Busy) {
          // Like nginx's limit_req: refused, not held (held requests would be unbounded memory of their own).
          req.response().putHeader("Retry-After", "1");
          ClientRequests.end(req, 429);
        } else {
          LOG.debug("emulation to node {} failed: {}", r.node(), ar.cause().toString());
          ClientRequests.end(req, 500);
        }
      });
    });
  }

  /** The JSON form, or null when it is not one. */
  static Request json(Buffer body) {
    try {
      JsonObject o = new JsonObject(body);
      if (o.getValue("session") instanceof String session && !session.isEmpty()
          && o.getValue("data") instanceof String data
          && (o.getValue("node") == null || o.getValue("node") instanceof String)) {
        return new Request(o.getString("node"), session, data.getBytes(StandardCharsets.UTF_8));
      }
      return null;
    } catch (RuntimeException e) { // not JSON, or not an object
      return null;
    }
  }

  /** The Protobuf form, or null when it is not one. */
  static Request protobuf(Buffer body) {
    try {
      EmulationRequest r = EmulationRequest.parseFrom(body.getBytes());
      return r.getSession().isEmpty() ? null : new Request(r.getNode(), r.getSession(), r.getData().toByteArray());
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }
}
