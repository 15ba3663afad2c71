package dev.operatorsetup.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Measured durations in milliseconds, with their median, minimum and maximum. */
final class Samples {
  private final List<Double> values = new ArrayList<>();

  void add(double millis) {
    values.add(millis);
  }

  int count() {
    return values.size();
  }

  double median() {
    return median(values);
  }

  static double median(List<Double> list) {
    if (list.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(list);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  double min() {
    return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  double max() {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  List<Double> values() {
    return List.copyOf(values);
  }
}
