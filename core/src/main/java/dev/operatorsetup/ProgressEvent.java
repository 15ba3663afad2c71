package dev.operatorsetup;

import java.time.Duration;

/**
 * A step of an operation started, finished, made a change, or is waiting.
 *
 * @param type what happened
 * @param step the step, e.g. {@code oidc-provider}, {@code role}, {@code apply}, {@code rollout}
 * @param detail what it is doing or did, e.g. {@code waiting for Deployment ns/name to roll out}
 * @param elapsed time since the operation started
 */
public record ProgressEvent(Type type, String step, String detail, Duration elapsed) {
  /** The kinds of event. */
  public enum Type {
    STEP_STARTED,
    STEP_FINISHED,
    CHANGE,
    WAITING
  }
}
