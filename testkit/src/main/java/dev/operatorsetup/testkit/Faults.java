package dev.operatorsetup.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Faults to inject into the fakes: fail a call before it takes effect (the process died before the
 * write), after it took effect (the process died before it heard the answer), or throttle it a
 * number of times (a retryable error). Thread-safe.
 */
public final class Faults {
  /** When the fault strikes relative to the call's effect. */
  public enum When {
    BEFORE,
    AFTER
  }

  private record Rule(Predicate<CallLog.Call> matches, When when, boolean retryable, int[] left) {}

  private final List<Rule> rules = new ArrayList<>();
  private int writesSeen;

  /** Fails the {@code n}-th write (1-based, counted from now) before it takes effect. */
  public synchronized Faults failBeforeWrite(int n) {
    int target = writesSeen + n;
    rules.add(
        new Rule(c -> c.write() && writeNumber(c) == target, When.BEFORE, false, new int[] {1}));
    return this;
  }

  /** Fails the {@code n}-th write (1-based, counted from now) after it took effect. */
  public synchronized Faults failAfterWrite(int n) {
    int target = writesSeen + n;
    rules.add(
        new Rule(c -> c.write() && writeNumber(c) == target, When.AFTER, false, new int[] {1}));
    return this;
  }

  /** Fails the next {@code times} calls that match with a retryable throttling error. */
  public synchronized Faults throttle(Predicate<CallLog.Call> matches, int times) {
    rules.add(new Rule(matches, When.BEFORE, true, new int[] {times}));
    return this;
  }

  /** Fails the next {@code times} calls that match, before they take effect, not retryable. */
  public synchronized Faults fail(Predicate<CallLog.Call> matches, int times) {
    rules.add(new Rule(matches, When.BEFORE, false, new int[] {times}));
    return this;
  }

  public synchronized void clear() {
    rules.clear();
  }

  private final java.util.Map<Integer, Integer> writeNumbers = new java.util.HashMap<>();

  private int writeNumber(CallLog.Call c) {
    return writeNumbers.getOrDefault(c.index(), -1);
  }

  /** Called by a fake before the call's effect; throws if a rule says so. */
  public synchronized void before(CallLog.Call call) {
    if (call.write()) {
      writesSeen++;
      writeNumbers.put(call.index(), writesSeen);
    }
    strike(call, When.BEFORE);
  }

  /** Called by a fake after the call's effect; throws if a rule says so. */
  public synchronized void after(CallLog.Call call) {
    strike(call, When.AFTER);
  }

  private void strike(CallLog.Call call, When when) {
    for (Rule r : rules) {
      if (r.when == when && r.left[0] > 0 && r.matches.test(call)) {
        r.left[0]--;
        throw new InjectedFault(
            (r.retryable ? "Throttled: rate exceeded (injected) on " : "Injected fault ")
                + (when == When.AFTER ? "after " : "before ")
                + call,
            r.retryable);
      }
    }
  }
}
