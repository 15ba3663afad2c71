package dev.operatorsetup.testkit;

import static dev.operatorsetup.testkit.Example.CLUSTER;
import static dev.operatorsetup.testkit.Example.REGION;
import static dev.operatorsetup.testkit.Example.ROLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.Manifests;
import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.ResourceNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input through the Java API: every case ends in one clear error that names the input and the
 * fix, and nothing is written to AWS or Kubernetes.
 */
class BadInputTest {

  @TempDir static Path dir;

  private static Path file(String name, String content) {
    try {
      Path p = dir.resolve(name);
      Files.writeString(p, content, StandardCharsets.UTF_8);
      return p;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String installerWith(String extra) {
    return "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: sagemaker-k8s-operator-system\n"
        + extra;
  }

  private static Arguments bad(String label, String mentions, Consumer<FakeWorld> run) {
    return Arguments.of(label, mentions, run);
  }

  private static OperatorSetup.Options setup(FakeWorld w) {
    return w.setup(CLUSTER, REGION, ROLE);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        bad("empty cluster name", "cluster name", w -> OperatorSetup.forCluster("")),
        bad(
            "cluster name with a leading dash",
            "cluster name",
            w -> OperatorSetup.forCluster("-x")),
        bad(
            "cluster name of 101 characters",
            "cluster name",
            w -> OperatorSetup.forCluster("c".repeat(101))),
        bad(
            "cluster name with a space",
            "cluster name",
            w -> OperatorSetup.forCluster("my cluster")),
        bad(
            "region without a number",
            "region",
            w -> OperatorSetup.forCluster(CLUSTER).inRegion("us-east")),
        bad(
            "region that does not exist",
            "region",
            w -> OperatorSetup.forCluster(CLUSTER).inRegion("moon-base-1")),
        bad(
            "region in capitals",
            "region",
            w -> OperatorSetup.forCluster(CLUSTER).inRegion("US-EAST-1")),
        bad(
            "ISO region",
            "region",
            w -> OperatorSetup.forCluster(CLUSTER).inRegion("us-isob-east-1")),
        bad(
            "empty role name",
            "role name",
            w -> OperatorSetup.forCluster(CLUSTER).inRegion(REGION).withRole("")),
        bad(
            "role name of 65 characters",
            "role name",
            w -> OperatorSetup.forCluster(CLUSTER).inRegion(REGION).withRole("r".repeat(65))),
        bad(
            "role name with a slash",
            "role name",
            w -> OperatorSetup.forCluster(CLUSTER).inRegion(REGION).withRole("a/b")),
        bad(
            "role name with a space",
            "role name",
            w -> OperatorSetup.forCluster(CLUSTER).inRegion(REGION).withRole("a b")),
        bad(
            "policy given by name",
            "policy ARN",
            w -> setup(w).withPolicy("AmazonSageMakerFullAccess")),
        bad(
            "role ARN given as policy",
            "policy ARN",
            w -> setup(w).withPolicy("arn:aws:iam::123456789012:role/x")),
        bad(
            "China policy for a us-east-1 cluster",
            "partition",
            w -> setup(w).withPolicy("arn:aws-cn:iam::aws:policy/AmazonSageMakerFullAccess")),
        bad(
            "GovCloud policy for a us-east-1 cluster",
            "partition",
            w -> setup(w).withPolicy("arn:aws-us-gov:iam::aws:policy/AmazonSageMakerFullAccess")),
        bad("S3 ARN as policy", "policy ARN", w -> setup(w).withPolicy("arn:aws:s3:::bucket")),
        bad(
            "policy ARN with a bad account",
            "policy ARN",
            w -> setup(w).withPolicy("arn:aws:iam::12345:policy/P")),
        bad(
            "policy that does not exist",
            "NoSuchPolicy",
            w -> setup(w).withPolicy("arn:aws:iam::aws:policy/NoSuchPolicy").install()),
        bad(
            "customer policy that does not exist",
            "does not exist",
            w ->
                setup(w)
                    .withPolicy("arn:aws:iam::" + w.aws().account() + ":policy/Missing")
                    .plan()),
        bad(
            "permissions boundary of another partition",
            "permissions boundary",
            w -> setup(w).withPermissionsBoundary("arn:aws-cn:iam::aws:policy/B")),
        bad("namespace with capitals", "namespace", w -> setup(w).withNamespace("Team-A")),
        bad("namespace of 64 characters", "namespace", w -> setup(w).withNamespace("n".repeat(64))),
        bad("namespace with underscore", "namespace", w -> setup(w).withNamespace("team_a")),
        bad(
            "service account with capitals",
            "service account name",
            w -> setup(w).withServiceAccount("Operator")),
        bad(
            "service account of 254 characters",
            "service account name",
            w -> setup(w).withServiceAccount("a".repeat(254))),
        bad("image override with a space", "image override", w -> setup(w).withImage("a b", "c")),
        bad(
            "image override to nothing",
            "image override",
            w -> setup(w).withImage("gcr.io/x:1", "")),
        bad("thumbprint too short", "thumbprint", w -> setup(w).withThumbprint("abc")),
        bad("thumbprint not hex", "thumbprint", w -> setup(w).withThumbprint("z".repeat(40))),
        bad("zero timeout", "timeout", w -> setup(w).withTimeout(Duration.ZERO)),
        bad("negative timeout", "timeout", w -> setup(w).withTimeout(Duration.ofSeconds(-5))),
        bad("role path without slashes", "role path", w -> setup(w).withRolePath("ops")),
        bad(
            "session of 30 minutes",
            "max session duration",
            w -> setup(w).withMaxSessionDuration(Duration.ofMinutes(30))),
        bad(
            "session of 13 hours",
            "max session duration",
            w -> setup(w).withMaxSessionDuration(Duration.ofHours(13))),
        bad("reserved tag key", "role tag key", w -> setup(w).withRoleTag("aws:owner", "me")),
        bad(
            "tag key of 129 characters",
            "role tag key",
            w -> setup(w).withRoleTag("k".repeat(129), "v")),
        bad(
            "inline policy that is not JSON",
            "inline policy",
            w -> setup(w).withInlinePolicy("extra", "allow everything")),
        bad(
            "inline policy with a bad name",
            "inline policy name",
            w -> setup(w).withInlinePolicy("bad name", "{\"Statement\":[]}")),
        bad(
            "description of 1001 characters",
            "role description",
            w -> setup(w).withRoleDescription("d".repeat(1001))),
        bad("CRD conversion mode", "CRD conversion", w -> setup(w).convertCrds("sometimes")),
        bad(
            "AWS endpoint with another scheme",
            "AWS endpoint",
            w -> setup(w).withAwsEndpoint(URI.create("ftp://127.0.0.1:5055"))),
        bad(
            "cluster in another region",
            "not found in region eu-west-1",
            w -> w.setup(CLUSTER, "eu-west-1", ROLE).install()),
        bad(
            "cluster that does not exist",
            "'ghost' not found",
            w -> w.setup("ghost", REGION, ROLE).plan()),
        bad(
            "manifest file that is missing",
            "manifest",
            w -> setup(w).withManifest(Manifests.file(dir.resolve("missing.yaml"))).install()),
        bad(
            "manifest that is not YAML",
            "manifest",
            w ->
                setup(w)
                    .withManifest(Manifests.file(file("broken.yaml", "key: [unclosed\n  - : :")))
                    .install()),
        bad(
            "manifest with an alias bomb",
            "manifest",
            w -> setup(w).withManifest(Manifests.file(file("bomb.yaml", aliasBomb()))).install()),
        bad(
            "manifest nested 10000 deep",
            "manifest",
            w ->
                setup(w)
                    .withManifest(
                        Manifests.file(
                            file("deep.yaml", "a: " + "[".repeat(10000) + "]".repeat(10000))))
                    .install()),
        bad(
            "manifest of 20 MB",
            "manifest",
            w ->
                setup(w)
                    .withManifest(
                        Manifests.file(file("huge.yaml", "# " + "x".repeat(20 * 1024 * 1024))))
                    .install()),
        bad(
            "manifest without the operator's ServiceAccount",
            "ServiceAccount",
            w ->
                setup(w)
                    .withManifest(Manifests.file(file("nosa.yaml", installerWith(""))))
                    .install()),
        bad(
            "manifest with two operator ServiceAccounts",
            "ServiceAccount",
            w ->
                setup(w)
                    .withManifest(Manifests.file(file("twosa.yaml", installerWith(sa() + sa()))))
                    .install()),
        bad(
            "manifest document without kind",
            "manifest",
            w ->
                setup(w)
                    .withManifest(
                        Manifests.file(
                            file("nokind.yaml", "apiVersion: v1\nmetadata:\n  name: x\n")))
                    .install()),
        bad(
            "manifest URL over http",
            "manifest",
            w ->
                setup(w)
                    .withManifest(
                        Manifests.parse(
                            "http://example.com/installer.yaml#sha256=" + "0".repeat(64)))),
        bad(
            "manifest URL without its sha256 pin",
            "manifest",
            w -> setup(w).withManifest(Manifests.parse("https://example.com/installer.yaml"))),
        bad(
            "manifest URL with a short pin",
            "manifest",
            w ->
                setup(w)
                    .withManifest(
                        Manifests.parse("https://example.com/installer.yaml#sha256=abc"))),
        bad(
            "manifest spec that is nothing",
            "manifest",
            w -> setup(w).withManifest(Manifests.parse(""))));
  }

  private static String sa() {
    return "---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sagemaker-k8s-operator-default\n  namespace: sagemaker-k8s-operator-system\n";
  }

  private static String aliasBomb() {
    StringBuilder b =
        new StringBuilder(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    char prev = 'a';
    for (char c = 'b'; c <= 'j'; c++) {
      b.append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 9; i++) {
        b.append(i == 0 ? "" : ",").append('*').append(prev);
      }
      b.append("]\n");
      prev = c;
    }
    return b.toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void endsInOneClearErrorAndChangesNothing(
      String label, String mentions, Consumer<FakeWorld> run) {
    FakeWorld world = new FakeWorld();
    world.aws().addCluster(REGION, CLUSTER, FakeWorld.newIssuer(REGION));
    var objectsBefore = world.kubernetes().objects();
    world.log().clear();

    assertThatThrownBy(() -> run.accept(world))
        .isInstanceOfAny(InvalidConfigurationException.class, ResourceNotFoundException.class)
        .satisfies(
            e -> {
              assertThat(e.getMessage()).contains(mentions).contains("Fix").doesNotContain("\tat ");
              assertThat(e.getMessage().length()).isLessThan(1200);
              assertThat(e).isInstanceOf(OperatorSetupException.class);
            });
    assertThat(world.log().writes()).as("writes after: " + label).isEmpty();
    assertThat(world.kubernetes().objects()).isEqualTo(objectsBefore);
    assertThat(world.aws().roleNames()).isEmpty();
    assertThat(world.aws().providerArns()).isEmpty();
  }
}
