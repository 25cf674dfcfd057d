package io.switchboard.api;

import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ReplyError;
import io.switchboard.model.CoreException;
import io.switchboard.model.DeadlineExceeded;
import io.switchboard.ops.FailureLog;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/** Maps failures to API errors. Protocol errors go out as they are; anything else is logged and becomes 100. */
final class ApiErrors {
  private static final Logger LOG = LoggerFactory.getLogger("io.switchboard.api");
  /** Failures that are not refusals come in floods (PostgreSQL down: every publish): the first in full, then counts. */
  private static final FailureLog FAILURES = new FailureLog(LOG, Level.ERROR, "server API failures");

  private ApiErrors() {}

  static ReplyError of(String method, Throwable t) {
    if (t instanceof CoreException c) {
      return ErrorCode.reply(c);
    }
    // The cause stays in the log: a response never carries a stack trace or an exception message.
    FAILURES.failed("server API method " + method + " failed", t);
    return ErrorCode.INTERNAL.error();
  }

  /**
   * The HTTP status of a failed call: 503 when PostgreSQL did not answer within its deadline (the write may
   * still happen: a retry should carry an idempotency key), else 200 as in Centrifugo (the error is in the body).
   */
  static int status(Throwable t) {
    return t instanceof DeadlineExceeded ? 503 : 200;
  }

  /** A result that could not be encoded (answered with 100 instead), logged like any other failure. */
  static void unencodable(String method, Throwable t) {
    FAILURES.failed("the result of server API method " + method + " could not be encoded", t);
  }

  /** {@code {"code":C,"message":"..."}}: the API's error object (no {@code temporary}, as in Centrifugo's API). */
  static JsonObject json(ReplyError e) {
    return new JsonObject().put("code", e.code()).put("message", e.message());
  }

  static JsonObject json(String method, Throwable t) {
    return json(of(method, t));
  }

  /** {@code {"error":{...}}}. */
  static JsonObject reply(String method, Throwable t) {
    return new JsonObject().put("error", json(method, t));
  }
}
