package dev.operatorsetup.bench;

import dev.operatorsetup.aws.AwsCallListener;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts AWS API calls per service and operation, as an {@link AwsCallListener}. */
final class AwsCallLog implements AwsCallListener {
  /**
   * One operation: {@code service}, e.g. {@code iam}, and {@code operation}, e.g. {@code GetRole}.
   */
  record Op(String service, String operation, boolean write) implements Comparable<Op> {
    @Override
    public int compareTo(Op o) {
      int c = service.compareTo(o.service);
      return c != 0 ? c : operation.compareTo(o.operation);
    }
  }

  private final Map<Op, LongAdder> calls = new ConcurrentHashMap<>();

  @Override
  public void onCall(String service, String operation, boolean write) {
    calls.computeIfAbsent(new Op(service, operation, write), k -> new LongAdder()).increment();
  }

  void reset() {
    calls.clear();
  }

  /** Returns the calls per operation, sorted by service and operation. */
  Map<Op, Long> snapshot() {
    Map<Op, Long> out = new TreeMap<>();
    calls.forEach((op, n) -> out.put(op, n.sum()));
    return out;
  }

  long reads() {
    return snapshot().entrySet().stream()
        .filter(e -> !e.getKey().write())
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  long writes() {
    return snapshot().entrySet().stream()
        .filter(e -> e.getKey().write())
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /** Returns reads and writes per service, e.g. {@code iam -> [8, 3]}. */
  Map<String, long[]> byService() {
    Map<String, long[]> out = new TreeMap<>();
    snapshot()
        .forEach(
            (op, n) ->
                out.computeIfAbsent(op.service(), k -> new long[2])[op.write() ? 1 : 0] += n);
    return out;
  }
}
