package io.switchboard.protocol;

import io.switchboard.model.CoreException;

/**
 * A decoded command: its id, its method name ({@code subscribe}, {@code sub_refresh}, …), and either its request or, when the
 * request's fields were malformed, the error to answer with (107 and the field that was wrong).
 *
 * <p>The session checks a command when its turn comes (a malformed id or an unknown method is answered then,
 * after the commands before it), so what was wrong with it travels with it as its {@link Kind}; only a
 * {@link Kind#COMMAND} has a method, and a request or a decode failure.
 *
 * @param id the command id; 0 when absent (only {@code send} may omit it); meaningless for {@link Kind#BAD_ID}
 */
public record ClientCommand(Kind kind, long id, String method, ClientRequest request, CoreException decodeFailure) {

  /** The client's answer to a ping; handled as soon as it is read, never behind commands awaiting replies. */
  public static final ClientCommand PONG = new ClientCommand(Kind.PONG, 0, null, null, null);

  /** A command of a known method, with its request or the failure to decode it. */
  public ClientCommand(long id, String method, ClientRequest request, CoreException decodeFailure) {
    this(Kind.COMMAND, id, method, request, decodeFailure);
  }

  /** A command without a known method: {@link Kind#ID_ONLY}, {@link Kind#UNKNOWN_METHOD} or {@link Kind#BAD_ID}. */
  public static ClientCommand without(Kind kind, long id) {
    return new ClientCommand(kind, id, null, null, null);
  }

  public enum Kind {
    /** An empty command: the pong. */
    PONG,
    /** A known method with its request (or its decode failure: error 107 when its turn comes). */
    COMMAND,
    /** Only an id, and it is 0: counts as a pong when its turn comes. */
    ID_ONLY,
    /** No known method (the session answers 104, or closes with 3501 when the id is 0). */
    UNKNOWN_METHOD,
    /** An id that is not a non-negative integer (closes with 3501). */
    BAD_ID
  }
}
