package io.switchboard.transport.stream;

import io.switchboard.transport.OriginCheck;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * What the streaming and emulation endpoints check on every request: the browser Origin (the WebSocket rule,
 * with CORS headers for allowed cross-origin pages and their preflights) and a request body bounded by
 * {@code client.max_message_bytes} (413 past it). Refusals are a bare status, never a stack trace.
 */
final class ClientRequests {
  private final OriginCheck origins;
  private final int maxBodyBytes;

  ClientRequests(OriginCheck origins, int maxBodyBytes) {
    this.origins = origins;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Whether the request's origin may use the endpoint: if so, the CORS headers are set for a browser origin
   * and a preflight ({@code OPTIONS}) is answered here (then false: nothing more to do); else 403.
   */
  boolean admit(HttpServerRequest req, String methods) {
    String origin = req.getHeader(HttpHeaders.ORIGIN);
    if (!origins.allows(origin, req.getHeader(HttpHeaders.HOST))) {
      end(req, 403);
      return false;
    }
    HttpServerResponse res = req.response();
    if (origin != null && !origin.isEmpty()) {
      res.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
          .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true")
          .putHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN);
    }
    if (req.method().name().equals("OPTIONS")) {
      String asked = req.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
      res.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, methods)
          .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, asked == null ? "Content-Type" : asked)
          .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "300");
      end(req, 204);
      return false;
    }
    return true;
  }

  /** Reads the whole body, at most {@code client.max_message_bytes} of it; a longer one gets 413. */
  void body(HttpServerRequest req, Handler<Buffer> onBody) {
    String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && declaredTooLong(length)) {
      tooLarge(req);
      return;
    }
    Buffer body = Buffer.buffer();
    boolean[] over = {false};
    req.handler(chunk -> {
      if (over[0]) {
        return;
      }
      if (body.length() + chunk.length() > maxBodyBytes) {
        over[0] = true;
        tooLarge(req);
      } else {
        body.appendBuffer(chunk);
      }
    });
    req.exceptionHandler(t -> over[0] = true); // the connection broke: there is nobody to answer
    req.endHandler(v -> {
      if (!over[0]) {
        onBody.handle(body);
      }
    });
  }

  private boolean declaredTooLong(String length) {
    try {
      return Long.parseLong(length.trim()) > maxBodyBytes;
    } catch (NumberFormatException e) {
      return false; // Vert.x refuses a malformed Content-Length itself
    }
  }

  /** 413, and the connection goes: the rest of the body is not worth reading. */
  private static void tooLarge(HttpServerRequest req) {
    HttpServerResponse res = req.response();
    if (!res.ended()) {
      res.setStatusCode(413).putHeader(HttpHeaders.CONNECTION, "close").end()
          .onComplete(ar -> req.connection().close());
    }
  }

  /** Ends the request with a bare status. */
  static void end(HttpServerRequest req, int status) {
    HttpServerResponse res = req.response();
    if (!res.ended()) {
      res.setStatusCode(status).end();
    }
  }
}
