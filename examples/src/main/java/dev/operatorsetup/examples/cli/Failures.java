package dev.operatorsetup.examples.cli;

import java.io.IOException;

/**
 * Reports a failed run: with --output json one JSON document on stdout; always one error line on
 * stderr; the stack trace only with --debug.
 */
final class Failures {
  private final Session session;

  Failures(Session session) {
    this.session = session;
  }

  /** Reports {@code e}, thrown while the command ran, and returns the exit code. */
  int handle(Exception e, FailureContext context) {
    return fail(ExitCodes.of(e), ErrorMessages.of(e), e, context);
  }

  /** Reports {@code message} and returns {@code code}. */
  int fail(int code, String message, Throwable cause, FailureContext context) {
    TextOutput text = new TextOutput(session);
    if (context.json()) {
      try {
        new JsonOutput(session).error(context, message, code);
      } catch (IOException io) {
        session.err().println(message);
      }
    }
    text.error(message);
    if (context.debug() && cause != null) {
      cause.printStackTrace(session.err());
    }
    return code;
  }
}
