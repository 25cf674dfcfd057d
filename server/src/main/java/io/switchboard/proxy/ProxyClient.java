package io.switchboard.proxy;

import io.switchboard.config.ProxyConfig;
import io.switchboard.model.BackendRefusal;
import io.switchboard.model.CoreException;
import io.switchboard.model.Failure;
import io.switchboard.ops.FailureLog;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * POSTs one proxy request to a configured endpoint and reads Centrifugo's reply shape: {@code result},
 * {@code error} or {@code disconnect}. The requests run on an event loop of their own (Vert.x WebClient) and the
 * outcome comes back on the caller's; nothing blocks, and it
 * bounds everything: at most {@code proxy_max_in_flight} requests at once on the node (past it a call waits for
 * a slot, see {@link InFlightGate}), pipelined {@code proxy_http_pipelining} deep on keep-alive connections, the
 * endpoint's timeout as a hard deadline of the whole call, waiting
 * included, and the response size.
 * Every failure of the backend becomes {@link Failure#INTERNAL} (docs/proxy.md has the table); a backend's
 * {@code error} or {@code disconnect} a {@link BackendRefusal}.
 */
public final class ProxyClient {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyClient.class);
  private static final FailureLog FAILURES = new FailureLog(LOG, Level.WARN, "proxy requests failed");
  private static final String APPLICATION_JSON = "application/json";

  private final Vertx vertx;
  private final WebClient web;
  private final int maxResponseBytes;
  private final InFlightGate gate;
  /**
   * The backend connections' own event loop (a one-loop Vert.x of the proxy's), so that their answers are read
   * as they come, not after a gateway loop's pass over every readable WebSocket (docs/benchmarks.md, issue 15).
   */
  private final Vertx backendVertx;
  private final Context backendLoop;

  public ProxyClient(Vertx vertx, ProxyConfig config) {
    this.vertx = vertx;
    this.maxResponseBytes = config.maxResponseBytes();
    this.gate = new InFlightGate(vertx, config.maxInFlight(), config.maxWaiting());
    // Keep-alive connections, opened as needed, enough for every request that may be in flight: a request never
    // waits in the pool's queue. (With a smaller pool, a burst queued there behind requests that were timing out,
    // and the chat benchmark saw every later request time out too: docs/benchmarks.md.) With HTTP/1.1 pipelining
    // each connection carries up to proxy_http_pipelining requests at once, so a large in-flight bound needs no
    // more connections; answers come back in order, and a request that times out with its answer unread resets
    // its connection (Vert.x closes it), so the requests behind it fail (100) rather than read its late answer.
    int depth = config.httpPipelining();
    this.backendVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1));
    this.backendLoop = backendVertx.getOrCreateContext();
    this.web = WebClient.create(backendVertx, new WebClientOptions().setKeepAlive(true).setUserAgentEnabled(false)
            .setMaxHeaderSize(16 * 1024).setPipelining(depth > 1).setPipeliningLimit(depth)
            .setConnectTimeout(longestTimeout(config)),
        new PoolOptions().setHttp1MaxSize(config.maxConnections()).setMaxWaitQueueSize(-1));
  }

  private static int longestTimeout(ProxyConfig config) {
    return (int) Math.min(Integer.MAX_VALUE, config.proxies().values().stream()
        .mapToLong(e -> e.timeout().toMillis()).max().orElse(1000));
  }

  /** Requests now awaiting an answer, over the node. */
  public int inFlight() {
    return gate.inFlight();
  }

  /** Calls now waiting for a slot, over the node. */
  public int waiting() {
    return gate.waiting();
  }

  /**
   * Sends {@code body} to {@code endpoint} with the allowlisted client {@code headers} (lower-case names) and
   * the endpoint's static headers. Completes with the reply's {@code result} (an empty object when absent).
   */
  public Future<JsonObject> call(ProxyConfig.Endpoint endpoint, String kind, Buffer body, Map<String, String> headers) {
    long timeout = endpoint.timeout().toMillis();
    long start = System.nanoTime();
    // A call waits for a slot at most half its timeout, so that what it sends has at least the other half to be
    // answered in: under overload, sending calls with a few ms left only made them fail at the backend.
    Future<Void> slot = gate.acquire(timeout / 2);
    if (slot.succeeded()) {
      return send(endpoint, kind, body, headers, timeout);
    }
    // Waited for a slot: what is left of the deadline bounds the request. A slot handed over late (the waiter's
    // event loop was busy) left requests of a few ms that could only time out, and on a pipelined connection a
    // timeout closes the connection under the requests behind it: give such a slot back, 111 without a request.
    return slot.compose(v -> {
      long left = timeout - (System.nanoTime() - start) / 1_000_000;
      if (left < timeout / 2) {
        gate.release();
        return Future.failedFuture(new CoreException(Failure.TOO_MANY_REQUESTS));
      }
      return send(endpoint, kind, body, headers, left);
    });
  }

  /** Sends on the backend loop; the outcome comes back on the caller's context. */
  private Future<JsonObject> send(ProxyConfig.Endpoint endpoint, String kind, Buffer body,
      Map<String, String> headers, long timeout) {
    Context caller = vertx.getOrCreateContext();
    Promise<JsonObject> back = Promise.promise();
    backendLoop.runOnContext(v -> sendHere(endpoint, kind, body, headers, timeout)
        .onComplete(ar -> caller.runOnContext(x -> back.handle(ar))));
    return back.future();
  }

  /** Sends with a slot taken, released when the request ends, answered or not. */
  private Future<JsonObject> sendHere(ProxyConfig.Endpoint endpoint, String kind, Buffer body,
      Map<String, String> headers, long timeout) {
    // No per-request connectTimeout (the wait for a pooled connection): in Vert.x 5.0 its timer races with a
    // connection that serves several waiters at once, as a pipelined one does: the second completion throws
    // ("Promise already completed", eclipse-vertx/vert.x#6169, fixed in 5.1) and its lease serves no request. The
    // TCP connect has the client's timeout (the longest endpoint timeout), and
    // the whole call our own deadline below.
    HttpRequest<Buffer> req = web.postAbs(endpoint.url()).idleTimeout(timeout)
        .as(new BoundedBody(maxResponseBytes));
    endpoint.staticHeaders().forEach(req::putHeader);
    if (headers != null && !headers.isEmpty()) {
      for (String name : endpoint.httpHeaders()) {
        String value = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        if (value != null) {
          req.putHeader(name, value);
        }
      }
    }
    req.putHeader("Content-Type", APPLICATION_JSON);
    Promise<JsonObject> answer = Promise.promise();
    // A hard deadline of our own: idle and connect timeouts alone would let a slowly trickling answer run on.
    // Its timer runs on the backend loop too (the node's Vert.x would make a context of its own for each call).
    long timer = backendVertx.setTimer(timeout, id -> answer.tryFail(failure(endpoint, kind, "no answer within "
        + timeout + "ms", null)));
    req.sendBuffer(body).onComplete(ar -> {
      gate.release();
      backendVertx.cancelTimer(timer);
      if (ar.failed()) {
        answer.tryFail(failure(endpoint, kind, ar.cause() instanceof BoundedBody.TooLarge ? ar.cause().getMessage()
            : "request failed: " + ar.cause(), null));
        return;
      }
      if (ar.result().statusCode() != 200) {
        answer.tryFail(failure(endpoint, kind, "HTTP status " + ar.result().statusCode(), null));
        return;
      }
      try {
        answer.tryComplete(reply(ar.result().body()));
      } catch (BackendRefusal r) {
        answer.tryFail(r);
      } catch (RuntimeException e) {
        answer.tryFail(failure(endpoint, kind, "bad reply: " + e.getMessage(), null));
      }
    });
    return answer.future();
  }

  /** Centrifugo's reply: {@code disconnect} wins over {@code error}, which wins over {@code result}. */
  static JsonObject reply(Buffer body) {
    if (body == null || body.length() == 0) {
      throw new IllegalArgumentException("empty body");
    }
    JsonObject o;
    try {
      o = new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("not a JSON object");
    }
    JsonObject d = o.getJsonObject("disconnect");
    if (d != null) {
      int code = d.getInteger("code", 0);
      if (code < 3000 || code > 4999) {
        throw new IllegalArgumentException("disconnect code " + code + " is outside 3000..4999");
      }
      String reason = d.getString("reason", "");
      return refuse(new BackendRefusal(BackendRefusal.Kind.DISCONNECT, code,
          reason.isEmpty() ? "disconnect" : reason, false));
    }
    JsonObject e = o.getJsonObject("error");
    if (e != null) {
      int code = e.getInteger("code", 0);
      if (code <= 0 || code > 65535) {
        throw new IllegalArgumentException("error code " + code + " is outside 1..65535");
      }
      return refuse(new BackendRefusal(BackendRefusal.Kind.ERROR, code, e.getString("message", ""),
          e.getBoolean("temporary", false)));
    }
    JsonObject result = o.getJsonObject("result");
    return result == null ? new JsonObject() : result;
  }

  private static JsonObject refuse(BackendRefusal r) {
    throw r;
  }

  private static CoreException failure(ProxyConfig.Endpoint endpoint, String kind, String why, Throwable cause) {
    FAILURES.failed(kind + " proxy '" + endpoint.name() + "' (" + endpoint.url() + "): " + why, cause);
    return new CoreException(Failure.INTERNAL);
  }

  public Future<Void> close() {
    web.close();
    return backendVertx.close();
  }
}
