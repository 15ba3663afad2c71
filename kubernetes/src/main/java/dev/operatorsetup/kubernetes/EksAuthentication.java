package dev.operatorsetup.kubernetes;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.credentials.Authentication;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Sends a bearer token on every request and makes a new one when the current one is older than the
 * refresh period. The first token is made at once, so missing credentials fail when the port is
 * created, with this library's exception (client-java's own {@code RefreshAuthentication} would
 * wrap it in a client exception).
 */
final class EksAuthentication implements Authentication, Interceptor {
  private final Supplier<String> tokens;
  private final Duration refresh;
  private final Clock clock;
  private String token;
  private Instant renewAt;

  EksAuthentication(Supplier<String> tokens, Duration refresh, Clock clock) {
    this.tokens = tokens;
    this.refresh = refresh;
    this.clock = clock;
    token();
  }

  /** Returns the current token, making a new one if it is due. */
  synchronized String token() {
    Instant now = clock.instant();
    if (token == null || !now.isBefore(renewAt)) {
      token = tokens.get();
      renewAt = now.plus(refresh);
    }
    return token;
  }

  @Override
  public void provide(ApiClient client) {
    client.setHttpClient(client.getHttpClient().newBuilder().addInterceptor(this).build());
  }

  @Override
  public Response intercept(Interceptor.Chain chain) throws IOException {
    return chain.proceed(
        chain.request().newBuilder().header("Authorization", "Bearer " + token()).build());
  }
}
