package dev.operatorsetup.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.port.Clusters;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Clusters} shares with EKS DescribeCluster. Subclasses seed clusters
 * however their backend allows (EKS CreateCluster on an emulator, or a fake's own API).
 */
public abstract class ClustersContract {
  /** Returns the port under test for a region. */
  protected abstract Clusters clusters(String region);

  /**
   * Creates an ACTIVE cluster.
   *
   * @param issuerUrl its OIDC issuer, or {@code null} to let the backend make one up as EKS does
   */
  protected abstract ClusterInfo seedCluster(String region, String name, String issuerUrl);

  /** Returns the account the clusters are created in. */
  protected abstract String accountId();

  /** Returns the region most tests use (default {@code us-west-2}). */
  protected String region() {
    return "us-west-2";
  }

  /** Returns a name no earlier test used. */
  protected static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Returns an issuer URL shaped like an EKS one, unique per call. */
  protected static String eksIssuer(String region) {
    String id = UUID.randomUUID().toString().replace("-", "").toUpperCase(Locale.ROOT);
    return "https://oidc.eks." + region + ".amazonaws.com/id/" + id;
  }

  @Test
  public void describe_seededCluster_returnsNameArnIssuerAndActiveStatus() {
    String name = uniqueName("describe");
    String issuer = eksIssuer(region());
    seedCluster(region(), name, issuer);

    ClusterInfo info = clusters(region()).describe(name).orElseThrow();

    assertThat(info.name()).isEqualTo(name);
    assertThat(info.arn())
        .isEqualTo(
            Arn.of(Partition.ofRegion(region()), "eks", region(), accountId(), "cluster/" + name));
    assertThat(info.issuer()).contains(issuer);
    assertThat(info.status()).contains("ACTIVE");
  }

  @Test
  public void describe_reportsVersionEndpointAndBase64PemCertificateAuthority() {
    String name = uniqueName("details");
    seedCluster(region(), name, eksIssuer(region()));

    ClusterInfo info = clusters(region()).describe(name).orElseThrow();

    assertThat(info.version()).hasValueSatisfying(v -> assertThat(v).matches("\\d+\\.\\d+"));
    assertThat(info.endpoint()).hasValueSatisfying(e -> assertThat(e).startsWith("https://"));
    assertThat(info.certificateAuthority())
        .hasValueSatisfying(
            ca ->
                assertThat(new String(Base64.getMimeDecoder().decode(ca), StandardCharsets.UTF_8))
                    .contains("-----BEGIN CERTIFICATE-----"));
  }

  @Test
  public void describe_unknownCluster_isEmpty() {
    assertThat(clusters(region()).describe(uniqueName("missing"))).isEmpty();
  }

  @Test
  public void describe_clusterOfAnotherRegion_isEmpty() {
    String name = uniqueName("elsewhere");
    seedCluster("eu-west-1", name, eksIssuer("eu-west-1"));

    assertThat(clusters(region()).describe(name)).isEmpty();
    assertThat(clusters("eu-west-1").describe(name)).isPresent();
  }

  @Test
  public void describe_eachClusterReportsItsOwnIssuer() {
    String first = uniqueName("first");
    String second = uniqueName("second");
    String firstIssuer = eksIssuer(region());
    String secondIssuer = eksIssuer(region());
    seedCluster(region(), first, firstIssuer);
    seedCluster(region(), second, secondIssuer);

    assertThat(clusters(region()).describe(first).flatMap(ClusterInfo::issuer))
        .contains(firstIssuer);
    assertThat(clusters(region()).describe(second).flatMap(ClusterInfo::issuer))
        .contains(secondIssuer);
  }

  @Test
  public void describe_issuerMadeUpByBackend_isUniquePerClusterAndShapedLikeEks() {
    String first = uniqueName("madeup");
    String second = uniqueName("madeup");
    seedCluster(region(), first, null);
    seedCluster(region(), second, null);

    Optional<String> a = clusters(region()).describe(first).flatMap(ClusterInfo::issuer);
    Optional<String> b = clusters(region()).describe(second).flatMap(ClusterInfo::issuer);

    String shape = "https://oidc\\.eks\\." + region() + "\\.amazonaws\\.com/id/[0-9A-F]{32}";
    assertThat(a).hasValueSatisfying(i -> assertThat(i).matches(shape));
    assertThat(b).hasValueSatisfying(i -> assertThat(i).matches(shape));
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  public void describe_inChinaRegion_returnsArnOfTheAwsCnPartition() {
    String name = uniqueName("china");
    seedCluster("cn-north-1", name, null);

    ClusterInfo info = clusters("cn-north-1").describe(name).orElseThrow();

    assertThat(info.arn().partition()).isEqualTo(Partition.AWS_CN);
    assertThat(info.arn().region()).isEqualTo("cn-north-1");
  }
}
