package dev.operatorsetup.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Counts the HTTP requests the Kubernetes client sends to the API server, by method, with discovery
 * ({@code /version}, {@code /api}, {@code /apis}, {@code /apis/<group>/<version>}) apart.
 */
final class ApiRequestLog implements Interceptor {
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  @Override
  public Response intercept(Chain chain) throws java.io.IOException {
    Request request = chain.request();
    String method = request.method();
    int segments = request.url().pathSegments().size();
    String first = request.url().pathSegments().get(0);
    boolean discovery =
        method.equals("GET")
            && (first.equals("version")
                || (first.equals("api") && segments <= 2)
                || (first.equals("apis") && segments <= 3));
    counts
        .computeIfAbsent(discovery ? "GET (discovery)" : method, k -> new LongAdder())
        .increment();
    return chain.proceed(request);
  }

  void reset() {
    counts.clear();
  }

  /** Returns requests per method, e.g. {@code GET -> 30, PATCH -> 18, GET (discovery) -> 4}. */
  Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  long writes() {
    return snapshot().entrySet().stream()
        .filter(e -> !e.getKey().startsWith("GET"))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }
}
