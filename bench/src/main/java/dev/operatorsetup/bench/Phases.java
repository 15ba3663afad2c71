package dev.operatorsetup.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Durations per named phase over several runs, in the order first seen; medians are reported. */
final class Phases {
  final Map<String, List<Double>> byPhase = new LinkedHashMap<>();

  void add(String phase, double millis) {
    byPhase.computeIfAbsent(phase, k -> new ArrayList<>()).add(millis);
  }

  boolean isEmpty() {
    return byPhase.isEmpty();
  }
}
