package io.switchboard.protocol;

import io.switchboard.model.CoreException;

/**
 * A decoded command: its id, its method name ({@code subscribe}, {@code sub_refresh}, …), and either its request or, when the
 * request's fields were malformed, the error to answer with (107 and the field that was wrong).
 */
public record ClientCommand(long id, String method, ClientRequest request, CoreException decodeFailure) {}
