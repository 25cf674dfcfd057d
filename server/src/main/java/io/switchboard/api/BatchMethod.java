package io.switchboard.api;

import io.switchboard.model.Failure;
import io.switchboard.codec.json.JsonParams;
import io.switchboard.model.CoreException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code batch {commands:[{method:{params}}, ...], parallel?}}: {@code {replies:[{method:{result}}|{error:{...}},
 * ...]}} in command order. Sequential by default (each command starts when the previous one has answered, so
 * publishes into one channel keep their order); {@code parallel:true} starts them all at once. A failing
 * command fails only its own reply.
 */
final class BatchMethod implements ApiMethod {
  private final Map<String, ApiMethod> methods;

  /** {@code methods}: what a command may call (batch itself excluded: no nesting). */
  BatchMethod(Map<String, ApiMethod> methods) {
    this.methods = methods;
  }

  @Override
  public Future<JsonObject> call(JsonObject p) {
    JsonArray commands = JsonParams.optArray(p, "commands");
    if (commands == null) {
      throw new CoreException(Failure.BAD_REQUEST, "commands required");
    }
    boolean parallel = JsonParams.optBool(p, "parallel");
    List<Future<JsonObject>> replies = new ArrayList<>(commands.size());
    Future<?> previous = Future.succeededFuture();
    for (Object command : commands) {
      Future<JsonObject> reply = parallel
          ? run(command)
          : previous.transform(ar -> run(command)); // never failed: see run
      replies.add(reply);
      previous = reply;
    }
    return Future.all(replies).map(v -> {
      JsonArray out = new JsonArray();
      replies.forEach(f -> out.add(f.result()));
      return new JsonObject().put("replies", out);
    });
  }

  /** Runs one command; its failure becomes an {@code {error}} reply, so the returned future always succeeds. */
  private Future<JsonObject> run(Object command) {
    String[] name = {"batch"};
    return ApiMethod.attempt(() -> {
      if (!(command instanceof JsonObject c) || c.size() != 1) {
        throw new CoreException(Failure.BAD_REQUEST, "a command is an object with one method key");
      }
      name[0] = c.fieldNames().iterator().next();
      ApiMethod method = methods.get(name[0]);
      if (method == null) {
        throw new CoreException(Failure.METHOD_NOT_FOUND);
      }
      JsonObject params = JsonParams.optObject(c, name[0]);
      return method.call(params == null ? new JsonObject() : params);
    }).transform(ar -> Future.succeededFuture(ar.succeeded()
        ? new JsonObject().put(name[0], ar.result())
        : ApiErrors.reply(name[0], ar.cause())));
  }
}
