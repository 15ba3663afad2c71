package dev.operatorsetup.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.OidcIssuer;
import dev.operatorsetup.model.OidcProvider;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.port.OidcProviders;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link OidcProviders} shares with IAM's OpenID Connect provider API,
 * including the input rules IAM enforces.
 */
public abstract class OidcProvidersContract {
  private static final String THUMBPRINT = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280";

  /** Returns the port under test. */
  protected abstract OidcProviders oidcProviders();

  /** Returns the account the providers are created in. */
  protected abstract String accountId();

  /** Returns the partition of the region the port was made for (default {@code aws}). */
  protected Partition partition() {
    return Partition.AWS;
  }

  /** Returns an issuer URL shaped like an EKS one, unique per call. */
  protected static String eksIssuer() {
    String id = UUID.randomUUID().toString().replace("-", "").toUpperCase(Locale.ROOT);
    return "https://oidc.eks.us-west-2.amazonaws.com/id/" + id;
  }

  private Arn arnOf(String issuer) {
    return OidcIssuer.parse(issuer).providerArn(partition(), accountId());
  }

  @Test
  public void create_thenFind_returnsUrlClientIdsThumbprintsAndTags() {
    String issuer = eksIssuer();
    Map<String, String> tags = Map.of("app.kubernetes.io/managed-by", "operator-setup");
    OidcProvider created =
        oidcProviders().create(issuer, List.of("sts.amazonaws.com"), List.of(THUMBPRINT), tags);

    OidcProvider found = oidcProviders().find(created.arn()).orElseThrow();

    assertThat(found.url()).isEqualTo(OidcIssuer.parse(issuer).hostAndPath());
    assertThat(found.clientIds()).containsExactly("sts.amazonaws.com");
    assertThat(found.thumbprints()).containsExactly(THUMBPRINT);
    assertThat(found.tags()).isEqualTo(tags);
    assertThat(created.url()).isEqualTo(found.url());
  }

  @Test
  public void create_returnsArnOfPartitionAccountAndIssuerHostAndPath() {
    String issuer = eksIssuer();

    OidcProvider created =
        oidcProviders().create(issuer, List.of("sts.amazonaws.com"), List.of(), Map.of());

    assertThat(created.arn()).isEqualTo(arnOf(issuer));
    assertThat(created.arn().toString())
        .startsWith(
            "arn:" + partition().id() + ":iam::" + accountId() + ":oidc-provider/oidc.eks.");
  }

  @Test
  public void create_withoutThumbprints_isAllowed() {
    OidcProvider created =
        oidcProviders().create(eksIssuer(), List.of("sts.amazonaws.com"), List.of(), Map.of());

    assertThat(oidcProviders().find(created.arn()))
        .hasValueSatisfying(p -> assertThat(p.thumbprints()).isEmpty());
  }

  @Test
  public void create_forAnIssuerThatHasOne_isConflict() {
    String issuer = eksIssuer();
    oidcProviders().create(issuer, List.of("sts.amazonaws.com"), List.of(), Map.of());

    assertThatThrownBy(
            () -> oidcProviders().create(issuer, List.of("sts.amazonaws.com"), List.of(), Map.of()))
        .isInstanceOf(ResourceConflictException.class);
    assertThat(oidcProviders().list()).containsOnlyOnce(arnOf(issuer));
  }

  @Test
  public void find_unknownProvider_isEmpty() {
    assertThat(oidcProviders().find(arnOf(eksIssuer()))).isEmpty();
  }

  @Test
  public void list_containsEveryCreatedProvider() {
    Arn first = oidcProviders().create(eksIssuer(), List.of("a"), List.of(), Map.of()).arn();
    Arn second = oidcProviders().create(eksIssuer(), List.of("b"), List.of(), Map.of()).arn();

    assertThat(oidcProviders().list()).contains(first, second);
  }

  @Test
  public void delete_existingProvider_returnsTrueAndRemovesIt() {
    Arn arn = oidcProviders().create(eksIssuer(), List.of("a"), List.of(), Map.of()).arn();

    assertThat(oidcProviders().delete(arn)).isTrue();

    assertThat(oidcProviders().find(arn)).isEmpty();
    assertThat(oidcProviders().list()).doesNotContain(arn);
  }

  @Test
  public void delete_unknownProvider_returnsFalse() {
    assertThat(oidcProviders().delete(arnOf(eksIssuer()))).isFalse();
  }

  @Test
  public void create_withHttpUrl_isRejectedAsAwsDoes() {
    String http = eksIssuer().replace("https://", "http://");

    assertThatThrownBy(() -> oidcProviders().create(http, List.of("a"), List.of(), Map.of()))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("https");
    assertThat(oidcProviders().list()).noneMatch(a -> a.resource().contains(http.substring(7)));
  }

  @Test
  public void create_withUrlOver255Characters_isRejected() {
    String longUrl = "https://issuer.example.com/" + "x".repeat(240);

    assertThatThrownBy(() -> oidcProviders().create(longUrl, List.of("a"), List.of(), Map.of()))
        .isInstanceOf(InvalidConfigurationException.class);
  }

  @Test
  public void create_withMoreThanFiveThumbprints_isRejected() {
    List<String> six = Collections.nCopies(6, THUMBPRINT);

    assertThatThrownBy(() -> oidcProviders().create(eksIssuer(), List.of("a"), six, Map.of()))
        .isInstanceOf(InvalidConfigurationException.class);
  }

  @Test
  public void create_withThumbprintThatIsNot40HexDigits_isRejectedAsAwsDoes() {
    assertThatThrownBy(
            () -> oidcProviders().create(eksIssuer(), List.of("a"), List.of("abc123"), Map.of()))
        .isInstanceOf(InvalidConfigurationException.class);
    assertThatThrownBy(
            () ->
                oidcProviders()
                    .create(eksIssuer(), List.of("a"), List.of("z".repeat(40)), Map.of()))
        .isInstanceOf(InvalidConfigurationException.class);
  }

  @Test
  public void create_withMoreThan100ClientIds_isRejected() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      ids.add("client-" + i);
    }

    assertThatThrownBy(() -> oidcProviders().create(eksIssuer(), ids, List.of(), Map.of()))
        .isInstanceOf(InvalidConfigurationException.class);
  }
}
