package io.switchboard.gateway;

import io.switchboard.model.BackendRefusal;
import io.switchboard.model.CoreException;
import io.switchboard.ops.FailureLog;
import io.switchboard.protocol.ClientCommand;
import io.switchboard.protocol.ClientResult;
import io.switchboard.protocol.DisconnectCode;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ReplyError;
import io.switchboard.protocol.SubscribeRequest;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Runs one command of a session when its turn comes: checks it against the protocol (an id where one is
 * needed, connect first and only once) and the rate limit, calls the method's handler, and queues the reply or
 * the error. A command the protocol forbids closes the connection with 3501.
 */
final class CommandDispatch {
  private static final Logger LOG = LoggerFactory.getLogger(Session.class);
  /** Command failures that are not refusals (PostgreSQL down: every publish): the first in full, then counts. */
  private static final FailureLog FAILURES = new FailureLog(LOG, Level.WARN, "command failures");
  /** Replies that cannot be encoded (answered with 100 instead): logged the same way. */
  private static final FailureLog UNENCODABLE = new FailureLog(LOG, Level.ERROR, "replies that could not be encoded");
  private static final Future<Void> DONE = Future.succeededFuture();

  private CommandDispatch() {}

  static Future<Void> run(Session s, ClientCommand cmd) {
    long id = cmd.id();
    switch (cmd.kind()) {
      case BAD_ID -> {
        s.disconnect(DisconnectCode.BAD_REQUEST);
        return DONE;
      }
      case PONG, ID_ONLY -> {
        s.onPong();
        return DONE;
      }
      case UNKNOWN_METHOD -> {
        if (id == 0) {
          s.disconnect(DisconnectCode.BAD_REQUEST);
        } else {
          countAndReplyError(s, id, "unknown", ErrorCode.METHOD_NOT_FOUND.error());
        }
        return DONE;
      }
      default -> { } // COMMAND: a known method
    }
    String method = cmd.method();
    if (id == 0 && !method.equals("send")) {
      s.disconnect(DisconnectCode.BAD_REQUEST);
      return DONE;
    }
    if ((s.state == Session.State.CONNECTING) != method.equals("connect")) {
      s.disconnect(DisconnectCode.BAD_REQUEST); // a command before connect, or a second connect
      return DONE;
    }
    switch (s.commands().rate()) {
      case RUN -> { }
      case REFUSE -> {
        if (id > 0) {
          countAndReplyError(s, id, method, ErrorCode.TOO_MANY_REQUESTS.error());
        }
        return DONE;
      }
      case DISCONNECT -> {
        s.disconnect(DisconnectCode.TOO_MANY_REQUESTS);
        return DONE;
      }
    }
    Future<? extends ClientResult> result;
    if (cmd.decodeFailure() != null) {
      result = Future.failedFuture(cmd.decodeFailure()); // 107, answered as a handler's refusal would be
    } else {
      try {
        result = Commands.handle(s, cmd.request());
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
    }
    if (method.equals("send")) {
      return result.<Void>mapEmpty().recover(t -> DONE);
    }
    return result.<Void>transform(ar -> {
      if (ar.succeeded()) {
        byte[] reply;
        try {
          reply = s.codec.reply(id, method, ar.result());
        } catch (RuntimeException e) {
          unencodable(s, cmd, e);
          return DONE;
        }
        s.services.metrics().command(method, "ok");
        s.write(reply);
        if (method.equals("connect")) {
          s.releaseHeld();
        }
      } else {
        onFailure(s, id, method, ar.cause());
      }
      return DONE;
    });
  }

  private static void onFailure(Session s, long id, String method, Throwable t) {
    if (method.equals("connect")) {
      s.commands().clear(); // nothing after a failed connect in the same message runs
      s.dropHeld();
    }
    if (t instanceof DisconnectException d) {
      s.services.metrics().command(method, "disconnect");
      s.disconnect(d.code);
    } else if (t instanceof BackendRefusal r && (r.kind() == BackendRefusal.Kind.DISCONNECT
        || s.codec.unidirectional())) {
      s.services.metrics().command(method, "disconnect"); // the backend's own code (docs/proxy.md)
      if (r.kind() == BackendRefusal.Kind.DISCONNECT) {
        s.close(r.code(), r.getMessage());
      } else {
        s.disconnect(r.temporary() ? DisconnectCode.INTERNAL : DisconnectCode.PERMISSION_DENIED);
      }
    } else if (t instanceof BackendRefusal r) {
      countAndReplyError(s, id, method, new ReplyError(r.code(), r.getMessage(), r.temporary()));
    } else if (s.codec.unidirectional()) {
      s.services.metrics().command(method, "disconnect");
      s.disconnect(UniConnectFailure.disconnectFor(t)); // no error replies on a uni transport
    } else if (t instanceof CoreException c) {
      countAndReplyError(s, id, method, ErrorCode.reply(c));
    } else {
      FAILURES.failed("command " + method + " failed for client " + s.id, t);
      countAndReplyError(s, id, method, ErrorCode.INTERNAL.error());
    }
  }

  /**
   * A result the codec cannot encode is never dropped: the command is answered with 100 (internal), and what
   * it did is undone where the client would otherwise disagree with the server: a subscription it does not
   * know of is dropped, a connect it was not told of is closed (3004, the client reconnects).
   */
  private static void unencodable(Session s, ClientCommand cmd, RuntimeException e) {
    UNENCODABLE.failed("the " + cmd.method() + " reply to client " + s.id + " (" + s.codec.name()
        + ") could not be encoded", e);
    if (cmd.method().equals("connect")) {
      s.services.metrics().command("connect", "disconnect");
      s.disconnect(DisconnectCode.INTERNAL);
      return;
    }
    if (cmd.request() instanceof SubscribeRequest q) {
      Session.ActiveSub a = s.subs.get(q.channel());
      if (a != null) {
        s.dropSubscription(a);
      }
    }
    countAndReplyError(s, cmd.id(), cmd.method(), ErrorCode.INTERNAL.error());
  }

  private static void countAndReplyError(Session s, long id, String method, ReplyError error) {
    s.services.metrics().command(method, "error_" + error.code());
    s.write(s.codec.error(id, error));
  }
}
