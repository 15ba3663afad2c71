package dev.operatorsetup.kubernetes;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Status;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * The API server's "try again in N seconds": {@code details.retryAfterSeconds} of an error Status,
 * else the {@code Retry-After} header (delta-seconds), which the generic client does not pass on;
 * an OkHttp interceptor keeps it for the calling thread (calls are synchronous).
 */
final class RetryAfter implements Interceptor {
  private static final RetryAfter INSTANCE = new RetryAfter();
  private static final ThreadLocal<Duration> LAST = new ThreadLocal<>();

  private RetryAfter() {}

  /** Makes the client's calls report their {@code Retry-After} header; idempotent. */
  static void install(ApiClient client) {
    OkHttpClient http = client.getHttpClient();
    if (!http.interceptors().contains(INSTANCE)) {
      client.setHttpClient(http.newBuilder().addInterceptor(INSTANCE).build());
    }
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Response response = chain.proceed(chain.request());
    Duration after =
        response.code() == 429 || response.code() >= 500
            ? parse(response.header("Retry-After")).orElse(null)
            : null;
    if (after == null) {
      LAST.remove();
    } else {
      LAST.set(after);
    }
    return response;
  }

  /** Forgets the header of an earlier call of this thread; call before each call. */
  static void clear() {
    LAST.remove();
  }

  /** Returns the delay of a Status, else of the last call's header on this thread, or null. */
  static Duration of(V1Status status) {
    if (status != null
        && status.getDetails() != null
        && status.getDetails().getRetryAfterSeconds() != null
        && status.getDetails().getRetryAfterSeconds() > 0) {
      return Duration.ofSeconds(status.getDetails().getRetryAfterSeconds());
    }
    return LAST.get();
  }

  /** Returns the delay of an {@code ApiException}'s headers, or null. */
  static Duration of(Map<String, List<String>> headers) {
    if (headers == null) {
      return null;
    }
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      if ("Retry-After".equalsIgnoreCase(h.getKey()) && !h.getValue().isEmpty()) {
        return parse(h.getValue().get(0)).orElse(null);
      }
    }
    return null;
  }

  static Optional<Duration> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      long seconds = Long.parseLong(value.trim());
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException notSeconds) {
      return Optional.empty();
    }
  }
}
