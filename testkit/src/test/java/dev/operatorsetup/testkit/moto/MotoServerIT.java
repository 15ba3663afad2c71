package dev.operatorsetup.testkit.moto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.model.Partition;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The moto fixture itself: the launcher's EKS patch, reset, and the account. */
class MotoServerIT {
  @RegisterExtension static final MotoServerExtension MOTO = new MotoServerExtension();

  @Test
  void repositoryRoot_isTheDirectoryWithMvnwAndTheLauncher() {
    assertThat(MotoServer.repositoryRoot())
        .hasValueSatisfying(
            root -> {
              assertThat(Files.isRegularFile(root.resolve("mvnw"))).isTrue();
              assertThat(Files.isRegularFile(root.resolve("scripts/moto"))).isTrue();
            });
  }

  @Test
  void createCluster_takesTheIssuerFromTheTag(MotoServer moto) {
    ClusterInfo info =
        moto.createCluster("us-west-2", "tagged", "https://issuer.example.com/id/TAGGED");

    assertThat(info.issuer()).contains("https://issuer.example.com/id/TAGGED");
    assertThat(info.status()).contains("ACTIVE");
    assertThat(info.version()).contains(MotoServer.CLUSTER_VERSION);
    assertThat(info.arn().toString())
        .isEqualTo("arn:aws:eks:us-west-2:" + moto.accountId() + ":cluster/tagged");
  }

  @Test
  void createCluster_withoutIssuer_getsAPerClusterIssuerLikeEks(MotoServer moto) {
    String first = moto.createCluster("eu-west-1", "a", null).issuer().orElseThrow();
    String second = moto.createCluster("eu-west-1", "b", null).issuer().orElseThrow();

    assertThat(first).matches("https://oidc\\.eks\\.eu-west-1\\.amazonaws\\.com/id/[0-9A-F]{32}");
    assertThat(second).isNotEqualTo(first);
  }

  @Test
  void createCluster_inChina_usesTheAwsCnPartitionAndDnsSuffix(MotoServer moto) {
    ClusterInfo info = moto.createCluster("cn-north-1", "china", null);

    assertThat(info.arn().partition()).isEqualTo(Partition.AWS_CN);
    assertThat(info.issuer().orElseThrow())
        .startsWith("https://oidc.eks.cn-north-1.amazonaws.com.cn/id/");
  }

  @Test
  void reset_forgetsClusters(MotoServer moto) {
    moto.createCluster("us-east-1", "again", null);
    assertThatThrownBy(() -> moto.createCluster("us-east-1", "again", null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ResourceInUseException");

    moto.reset();

    assertThat(moto.createCluster("us-east-1", "again", null).name()).isEqualTo("again");
  }

  @Test
  void accountId_isTwelveDigits(MotoServer moto) {
    assertThat(moto.accountId()).matches("\\d{12}");
    assertThat(moto.endpoint().getHost()).isEqualTo("127.0.0.1");
  }
}
