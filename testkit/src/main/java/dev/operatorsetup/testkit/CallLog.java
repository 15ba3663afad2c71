package dev.operatorsetup.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every call the fakes (or a counting real adapter) received, in order, so a test can assert for
 * example that a re-run made zero writes. Thread-safe.
 */
public final class CallLog {
  /** One call: the service ({@code iam}, {@code eks}, {@code sts}, {@code kubernetes}). */
  public record Call(int index, String service, String operation, boolean write) {
    @Override
    public String toString() {
      return service + ":" + operation + (write ? " (write)" : "");
    }
  }

  private final List<Call> calls = new ArrayList<>();

  /** Records a call and returns it. */
  public synchronized Call record(String service, String operation, boolean write) {
    Call call = new Call(calls.size() + 1, service, operation, write);
    calls.add(call);
    return call;
  }

  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  public synchronized List<Call> writes() {
    return calls.stream().filter(Call::write).toList();
  }

  public synchronized long reads(String service) {
    return calls.stream().filter(c -> !c.write() && c.service().equals(service)).count();
  }

  public synchronized long writes(String service) {
    return calls.stream().filter(c -> c.write() && c.service().equals(service)).count();
  }

  public synchronized long writeCount() {
    return calls.stream().filter(Call::write).count();
  }

  /** Returns {@code service -> [reads, writes]}, sorted by service. */
  public synchronized Map<String, long[]> summary() {
    Map<String, long[]> out = new TreeMap<>();
    for (Call c : calls) {
      out.computeIfAbsent(c.service(), k -> new long[2])[c.write() ? 1 : 0]++;
    }
    return out;
  }

  public synchronized void clear() {
    calls.clear();
  }
}
