package dev.operatorsetup.testkit;

import java.util.function.Supplier;

/** Runs a fake's operation through the call log and the fault rules. */
public final class Recorder {
  private final String service;
  private final CallLog log;
  private final Faults faults;

  public Recorder(String service, CallLog log, Faults faults) {
    this.service = service;
    this.log = log;
    this.faults = faults;
  }

  public <T> T read(String operation, Supplier<T> action) {
    return run(operation, false, action);
  }

  public <T> T write(String operation, Supplier<T> action) {
    return run(operation, true, action);
  }

  public void write(String operation, Runnable action) {
    run(
        operation,
        true,
        () -> {
          action.run();
          return null;
        });
  }

  private <T> T run(String operation, boolean write, Supplier<T> action) {
    CallLog.Call call = log.record(service, operation, write);
    faults.before(call);
    T result = action.get();
    faults.after(call);
    return result;
  }
}
