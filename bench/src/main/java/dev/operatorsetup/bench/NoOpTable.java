package dev.operatorsetup.bench;

import static dev.operatorsetup.bench.Markdown.fmt;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The no-op re-run's Markdown: wall time, reads and writes per API, and the writes' verdict. */
final class NoOpTable {
  private NoOpTable() {}

  static String write(NoOpRerun.Reruns r) {
    Samples noop = r.times();
    NoOpRerun.Calls calls = r.first();
    StringBuilder b = new StringBuilder();
    b.append("### No-op re-run (install again right after an install, in one JVM)\n\n");
    b.append("| | value |\n|---|---|\n");
    b.append(
        String.format(
            Locale.ROOT,
            "| wall time, median of %d (min–max) | %s (%s–%s) |%n",
            noop.count(),
            fmt(noop.median()),
            fmt(noop.min()),
            fmt(noop.max())));
    awsRows(b, calls.aws());
    kubeRow(b, calls.kube());
    b.append(
        String.format(
            Locale.ROOT,
            "| Kubernetes HTTP requests to the API server | %s |%n",
            httpCalls(calls.http())));
    b.append(
        String.format(
            Locale.ROOT,
            "| writes over all %d re-runs (must be 0) | AWS %d, Kubernetes port %d, HTTP %d → %s |%n%n",
            noop.count(),
            r.awsWrites(),
            r.kubeWrites(),
            r.httpWrites(),
            r.writes() == 0 ? "**0: ok**" : "**NOT 0: FAILED**"));
    return b.toString();
  }

  private static void awsRows(StringBuilder b, Map<AwsCallLog.Op, Long> aws) {
    Map<String, long[]> perService = new TreeMap<>();
    aws.forEach(
        (op, n) ->
            perService.computeIfAbsent(op.service(), k -> new long[2])[op.write() ? 1 : 0] += n);
    perService.forEach(
        (svc, rw) ->
            b.append(
                String.format(
                    Locale.ROOT,
                    "| AWS %s: reads / writes | %d / %d (%s) |%n",
                    svc,
                    rw[0],
                    rw[1],
                    ops(aws, svc))));
  }

  private static void kubeRow(StringBuilder b, Map<String, MeteredKubernetes.Usage> kube) {
    long reads = 0;
    long writes = 0;
    StringBuilder each = new StringBuilder();
    for (Map.Entry<String, MeteredKubernetes.Usage> e : kube.entrySet()) {
      long n = e.getValue().calls();
      if (MeteredKubernetes.WRITES.contains(e.getKey())) {
        writes += n;
      } else {
        reads += n;
      }
      each.append(each.length() == 0 ? "" : ", ").append(e.getKey()).append(" ").append(n);
    }
    b.append(
        String.format(
            Locale.ROOT,
            "| Kubernetes port: reads / writes | %d / %d (%s) |%n",
            reads,
            writes,
            each));
  }

  private static String ops(Map<AwsCallLog.Op, Long> calls, String service) {
    StringBuilder b = new StringBuilder();
    calls.forEach(
        (op, n) -> {
          if (op.service().equals(service)) {
            b.append(b.length() == 0 ? "" : ", ").append(op.operation()).append(" ").append(n);
          }
        });
    return b.toString();
  }

  /** HTTP requests per method, e.g. "GET 18, GET (discovery) 3"; "none" if there were none. */
  static String httpCalls(Map<String, Long> http) {
    StringBuilder b = new StringBuilder();
    http.forEach((m, n) -> b.append(b.length() == 0 ? "" : ", ").append(m).append(" ").append(n));
    return b.length() == 0 ? "none" : b.toString();
  }
}
