package dev.operatorsetup.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * When calls were in flight, per label (e.g. {@code Kubernetes apply CustomResourceDefinition}), so
 * that calls made at the same time are counted once: the time of a label is the length of the union
 * of its calls' intervals. Thread-safe.
 */
final class Timeline {
  private record Span(String label, long start, long end) {}

  /** The calls of one label and the wall time during which at least one was in flight. */
  record Usage(long calls, double millis) {}

  private final ConcurrentLinkedQueue<Span> spans = new ConcurrentLinkedQueue<>();

  void add(String label, long startNanos, long endNanos) {
    spans.add(new Span(label, startNanos, endNanos));
  }

  void reset() {
    spans.clear();
  }

  /** Returns the calls and wall time per label, sorted by label. */
  Map<String, Usage> byLabel() {
    Map<String, List<Span>> grouped = new TreeMap<>();
    for (Span s : spans) {
      grouped.computeIfAbsent(s.label(), k -> new ArrayList<>()).add(s);
    }
    Map<String, Usage> out = new LinkedHashMap<>();
    grouped.forEach((label, list) -> out.put(label, new Usage(list.size(), union(list))));
    return out;
  }

  /** Returns the wall time during which any call was in flight. */
  double totalMillis() {
    return union(new ArrayList<>(spans));
  }

  private static double union(List<Span> list) {
    list.sort(Comparator.comparingLong(Span::start));
    long total = 0;
    long from = Long.MIN_VALUE;
    long to = Long.MIN_VALUE;
    for (Span s : list) {
      if (s.start() > to) {
        total += to - from;
        from = s.start();
        to = s.end();
      } else if (s.end() > to) {
        to = s.end();
      }
    }
    total += to - from;
    return total / 1e6;
  }
}
