package dev.operatorsetup.internal;

import dev.operatorsetup.Durations;
import dev.operatorsetup.Loggers;
import dev.operatorsetup.ProgressEvent;
import dev.operatorsetup.model.Change;
import dev.operatorsetup.port.AwsServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one operation: what it was asked ({@link Settings}), its connections, its deadline,
 * whether it writes or only plans, and the changes it found. Steps report through it, so progress
 * events and the INFO line per change come from one place.
 */
public final class Run {
  private final String command;
  private final Settings settings;
  private final Ports ports;
  private final boolean apply;
  private final Deadline deadline;
  private final Logger log;
  private final List<Change> changes = new ArrayList<>();

  Run(String command, Settings settings, Ports ports, boolean apply) {
    this.command = command;
    this.settings = settings;
    this.ports = ports;
    this.apply = apply;
    this.deadline = new Deadline(settings.timeout());
    this.log = LoggerFactory.getLogger(Loggers.forCommand(command));
  }

  public String command() {
    return command;
  }

  public Settings settings() {
    return settings;
  }

  public AwsServices aws() {
    return ports.aws();
  }

  Ports ports() {
    return ports;
  }

  /** Returns whether this run writes; a plan reads only. */
  public boolean apply() {
    return apply;
  }

  public Deadline deadline() {
    return deadline;
  }

  /** Makes one port call, retried within the run's one retry budget (see {@link Retry}). */
  public <T> T call(String what, Supplier<T> action) {
    return Retry.call(what, deadline, action);
  }

  /** How long a just-created IAM role may stay invisible (IAM is eventually consistent). */
  static final java.time.Duration CONSISTENCY = java.time.Duration.ofSeconds(30);

  /**
   * Makes a call about a resource this run just created, which the service may not show yet (IAM's
   * eventual consistency): "not found" is waited out, polling, for up to {@link #CONSISTENCY} and
   * never past the deadline. A wait for visibility, not a retry of a failure.
   */
  public void runOnNew(String what, Runnable action) {
    long end = System.nanoTime() + CONSISTENCY.toNanos();
    long pause = 100;
    while (true) {
      try {
        run(what, action);
        return;
      } catch (dev.operatorsetup.ResourceNotFoundException e) {
        if (System.nanoTime() + pause * 1_000_000 > end
            || deadline.remaining().toMillis() < pause) {
          throw e;
        }
        deadline.sleep(pause);
        pause = Math.min(pause * 2, 2000);
      }
    }
  }

  /** Makes one port call that returns nothing, retried like {@link #call}. */
  public void run(String what, Runnable action) {
    Retry.call(
        what,
        deadline,
        () -> {
          action.run();
          return null;
        });
  }

  /** Records a decision (also when nothing changes), for the report and the plan. */
  public void record(Change change) {
    changes.add(change);
  }

  /** Says that a recorded change was made: one INFO line and one progress event. */
  public void changed(Change change) {
    log.info("{} {} ({})", change.action().id(), change.resource(), change.detail());
    emit(
        ProgressEvent.Type.CHANGE,
        change.resource(),
        change.action().id() + ": " + change.detail());
  }

  /** Records a change and, when this run writes, makes it and says so. */
  public void change(Change change, Runnable write) {
    record(change);
    if (apply) {
      write.run();
      changed(change);
    }
  }

  public List<Change> changes() {
    return List.copyOf(changes);
  }

  /** Runs a named part of the operation between a started and a finished event. */
  public <T> T step(String step, String detail, Supplier<T> body) {
    deadline.checkCancelled();
    emit(ProgressEvent.Type.STEP_STARTED, step, detail);
    T result = body.get();
    emit(ProgressEvent.Type.STEP_FINISHED, step, detail);
    return result;
  }

  /** Says what the run is about to wait for, and for how long at most. */
  public void waiting(String step, String what) {
    emit(
        ProgressEvent.Type.WAITING,
        step,
        "waiting for " + what + " (up to " + Durations.format(deadline.forWait()) + ")");
  }

  /** Returns the time a wait may take: what is left of the deadline, at least one second. */
  public Duration forWait() {
    return deadline.forWait();
  }

  private void emit(ProgressEvent.Type type, String step, String detail) {
    ProgressEvent event = new ProgressEvent(type, step, detail, deadline.elapsed());
    try {
      settings.listener().onEvent(event);
    } catch (RuntimeException e) {
      log.warn("progress listener failed on {}: {}", event.type(), e.toString());
    }
  }
}
