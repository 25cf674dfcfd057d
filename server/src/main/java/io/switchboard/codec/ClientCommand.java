package io.switchboard.codec;

import io.vertx.core.json.JsonObject;

/**
 * One command as a codec read it from a transport message. The session checks it when its turn comes (a
 * malformed id or an unknown method is answered then, after the commands before it), so what was wrong with
 * it travels with it as its {@link Kind}. The parameters are still a JSON object (typed commands come later).
 *
 * @param id the command id; 0 when absent (only {@code send} may omit it); meaningless for {@link Kind#BAD_ID}
 * @param method the protocol method ({@code connect}, {@code subscribe}, ...), or null when none is known
 * @param params the method's parameters (empty when absent), or null unless {@link Kind#COMMAND}
 */
public record ClientCommand(Kind kind, long id, String method, JsonObject params) {

  /** The client's answer to a ping; handled as soon as it is read, never behind commands awaiting replies. */
  public static final ClientCommand PONG = new ClientCommand(Kind.PONG, 0, null, null);

  public enum Kind {
    /** An empty command: the pong. */
    PONG,
    /** A known method with its parameters. */
    COMMAND,
    /** Only an id, and it is 0: counts as a pong when its turn comes. */
    ID_ONLY,
    /** No known method (the session answers 104, or closes with 3501 when the id is 0). */
    UNKNOWN_METHOD,
    /** An id that is not a non-negative integer (closes with 3501). */
    BAD_ID,
    /** A known method whose parameters are not an object (error 107). */
    BAD_PARAMS
  }
}
