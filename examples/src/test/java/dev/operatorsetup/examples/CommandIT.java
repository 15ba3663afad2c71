package dev.operatorsetup.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.operatorsetup.testkit.moto.MotoServer;
import dev.operatorsetup.testkit.moto.MotoServerExtension;
import dev.operatorsetup.testkit.plane.ControlPlane;
import dev.operatorsetup.testkit.plane.RequiresControlPlane;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.ApiextensionsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.util.Config;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.OpenIDConnectProviderListEntry;
import software.amazon.awssdk.services.iam.model.PolicyScopeType;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * The {@code bin/operator-setup} command started as a process, with the seed procedure's values
 * (cluster FSxL-Persistent-Cluster in us-east-1, role eks-fsx-cluster-role, account 012345678910),
 * against moto_server (whose EKS cluster's OIDC issuer is the local control plane) and the local
 * control plane itself: plan, install, re-run, verify, uninstall, render, and the failures the
 * contract gives exit codes 2, 3 and 4, each checked in moto and on the plane afterwards.
 *
 * <p>The launcher runs the shaded jar that the package phase built (failsafe runs after it); each
 * process gets a clean environment: moto's test credentials, an empty HOME (no ~/.aws, no
 * ~/.kube/config) and no KUBECONFIG, so only what the arguments name is used.
 */
@RequiresControlPlane
class CommandIT {
  @RegisterExtension static final MotoServerExtension MOTO = new MotoServerExtension();

  static final String CLUSTER = "FSxL-Persistent-Cluster";
  static final String REGION = "us-east-1";
  static final String ROLE = "eks-fsx-cluster-role";
  static final String ACCOUNT = "012345678910";
  static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/" + ROLE;
  static final String NS = "sagemaker-k8s-operator-system";
  static final String SA = "sagemaker-k8s-operator-default";
  static final String DEPLOYMENT = "sagemaker-k8s-operator-controller-manager";
  static final String POLICY = "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess";
  static final Duration PROCESS_LIMIT = Duration.ofMinutes(4);
  private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w.$/]+\\(");

  /** A progress line's elapsed-time prefix, e.g. "[ 1.2s] " or "[1m05s] ". */
  private static final String TIME = "\\[[ 0-9.hms]+\\] ";

  private static final Pattern PROGRESS = Pattern.compile(TIME);

  private static Path root;
  private static ControlPlane plane;
  private static MotoServer moto;
  private static IamClient iam;
  private static ApiClient kube;
  private static final List<String> timings = new ArrayList<>();

  @TempDir Path tmp;
  private Path home;

  @BeforeAll
  static void setUp(ControlPlane controlPlane) throws IOException {
    plane = controlPlane;
    moto = MOTO.server();
    root =
        MotoServer.repositoryRoot()
            .orElseThrow(() -> new IllegalStateException("no repository root with mvnw above"));
    Path jar = root.resolve("examples/target/operator-setup.jar");
    assertThat(jar)
        .as(
            "the shaded jar; run the integration tests with './mvnw -pl examples -am verify', which"
                + " packages it first (the launcher would otherwise try to build it)")
        .isRegularFile();
    assertThat(moto.accountId())
        .as(
            "moto's account: the seed procedure's example account is %s; start moto with"
                + " MOTO_ACCOUNT_ID=%s (scripts/test and scripts/demo do)",
            ACCOUNT, ACCOUNT)
        .isEqualTo(ACCOUNT);
    iam =
        IamClient.builder()
            .region(Region.AWS_GLOBAL)
            .endpointOverride(moto.endpoint())
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
            .build();
    kube = Config.fromConfig(plane.kubeconfig().toString());
  }

  @AfterAll
  static void tearDown() {
    if (iam != null) {
      iam.close();
    }
    System.err.println("[CommandIT] wall times of bin/operator-setup: " + timings);
  }

  @BeforeEach
  void createTheSeedCluster() throws Exception {
    home = Files.createDirectories(tmp.resolve("home"));
    // moto was reset by its extension; the cluster's issuer is the control plane's.
    moto.createCluster(REGION, CLUSTER, plane.server().toString());
    if (!sagemakerObjectsOnThePlane().isEmpty()) {
      cleanUpThePlane();
    }
    assertThat(sagemakerObjectsOnThePlane()).as("the plane before the test").isEmpty();
  }

  @AfterEach
  void leaveThePlaneClean() throws Exception {
    if (!sagemakerObjectsOnThePlane().isEmpty()) {
      cleanUpThePlane();
    }
  }

  private void cleanUpThePlane() throws Exception {
    Result r = run("uninstall", "--remove-finalizers");
    assertThat(r.exit()).as("clean-up uninstall: " + r.err()).isZero();
  }

  // ----------------------------------------------------------------------------------- the seed

  @Test
  void seed_planInstallRerunVerifyUninstall() throws Exception {
    // plan: reads only, lists 21 creates (AWS and Kubernetes together), writes nothing
    Result plan = run("plan", "--output", "json");
    assertSucceeded(plan);
    JsonNode planned = json(plan);
    assertThat(planned.path("command").asText()).isEqualTo("plan");
    assertThat(planned.path("roleArn").asText()).isEqualTo(ROLE_ARN);
    assertThat(actions(planned)).hasSize(21).containsOnly("create");
    assertThat(resources(planned))
        .contains(
            "iam:role/" + ROLE,
            "iam:role/" + ROLE + " policy AmazonSageMakerFullAccess",
            "kubernetes:ServiceAccount " + NS + "/" + SA,
            "kubernetes:Deployment " + NS + "/" + DEPLOYMENT)
        .anyMatch(r -> r.startsWith("iam:oidc-provider/"))
        .filteredOn(r -> r.startsWith("kubernetes:CustomResourceDefinition "))
        .hasSize(8);
    assertNothingCreated();

    // install: creates all of it
    Result install = run("install", "--output", "json");
    assertSucceeded(install);
    JsonNode installed = json(install);
    assertContractFields(installed, "install");
    assertThat(installed.path("roleArn").asText()).isEqualTo(ROLE_ARN);
    assertThat(installed.path("oidcProviderArn").asText()).isEqualTo(providerArn());
    assertThat(actions(installed)).hasSize(21).containsOnly("create");
    assertThat(resources(installed)).isEqualTo(resources(planned));
    Role role = iam.getRole(b -> b.roleName(ROLE)).role();
    assertThat(role.arn()).isEqualTo(ROLE_ARN);
    assertThat(URLDecoder.decode(role.assumeRolePolicyDocument(), StandardCharsets.UTF_8))
        .contains("sts:AssumeRoleWithWebIdentity")
        .contains("system:serviceaccount:" + NS + ":" + SA)
        .contains(providerArn());
    assertThat(iam.listAttachedRolePolicies(b -> b.roleName(ROLE)).attachedPolicies())
        .extracting(AttachedPolicy::policyArn)
        .containsExactly(POLICY);
    assertThat(providers()).containsExactly(providerArn());
    assertThat(sagemakerCrds()).hasSize(8);
    V1ServiceAccount sa = new CoreV1Api(kube).readNamespacedServiceAccount(SA, NS).execute();
    assertThat(sa.getMetadata().getAnnotations())
        .containsEntry("eks.amazonaws.com/role-arn", ROLE_ARN);

    // re-run: nothing to change
    Result again = run("install", "--output", "json");
    assertSucceeded(again);
    JsonNode rerun = json(again);
    assertThat(actions(rerun)).hasSize(21).containsOnly("unchanged");
    assertThat(rerun.path("roleArn").asText()).isEqualTo(ROLE_ARN);

    // re-run in text: progress lines on stderr while it runs, the table on stdout (a no-op run
    // waits for nothing: the CRDs are Established and the controller rolled out already)
    Result text = run("install");
    assertSucceeded(text);
    assertThat(text.err())
        .containsPattern("(?m)^" + TIME + "context: read the account and the cluster");

    assertThat(text.out().lines().findFirst().orElse("")).matches("ACTION +RESOURCE +DETAIL");
    assertThat(text.out())
        .containsPattern("(?m)^unchanged +iam:role/" + ROLE + " +trust policy up to date")
        .containsPattern("(?m)^install: changed 0 of 21 resources in .*; role " + ROLE_ARN + "$")
        .doesNotContain("{");

    // verify: every check passes
    Result verify = run("verify", "--output", "json");
    assertSucceeded(verify);
    JsonNode verified = json(verify);
    assertContractFields(verified, "verify");
    assertThat(verified.path("checks")).isNotEmpty();
    List<String> checkNames = new ArrayList<>();
    verified
        .path("checks")
        .forEach(
            c -> {
              checkNames.add(c.path("name").asText());
              assertThat(c.path("ok").isBoolean()).isTrue();
              assertThat(c.path("ok").asBoolean()).as(c.toString()).isTrue();
              assertThat(c.path("detail").asText()).isNotBlank();
            });
    assertThat(checkNames)
        .contains(
            "cluster",
            "oidc-provider",
            "role-trust",
            "role-policies",
            "crds",
            "service-account",
            "deployment",
            "pods");
    Result verifyText = run("verify");
    assertSucceeded(verifyText);
    assertThat(verifyText.out()).containsPattern("(?m)^ok +pods ").contains("verify: healthy");

    // uninstall: deletes what install created
    Result uninstall = run("uninstall", "--output", "json");
    assertSucceeded(uninstall);
    JsonNode removed = json(uninstall);
    assertContractFields(removed, "uninstall");
    assertThat(actions(removed)).hasSize(21).containsOnly("delete");
    assertNothingCreated();

    // a second uninstall finds nothing to do
    Result twice = run("uninstall", "--output", "json");
    assertSucceeded(twice);
    assertThat(actions(json(twice))).isNotEmpty().containsOnly("unchanged");
    assertNothingInMoto();

    // and verify now reports the problems, with exit code 1
    Result broken = run("verify", "--output", "json");
    assertThat(broken.exit()).as(broken.err()).isEqualTo(1);
    assertThat(json(broken).path("ok").asBoolean()).isFalse();

    // a fresh install in text: a progress line per step and per change while it runs, the table
    // after it, and the patched manifest written where --manifest-out says
    Path written = tmp.resolve("installed.yaml");
    Result fresh = run("install", "--manifest-out", written.toString());
    assertSucceeded(fresh);
    assertThat(fresh.err())
        .containsPattern(
            "(?m)^"
                + TIME
                + "oidc-provider: associate the IAM OIDC provider with "
                + Pattern.quote(plane.server().toString())
                + " \\.\\.\\.$")
        .containsPattern("(?m)^" + TIME + " +create iam:role/" + ROLE + "$")
        .containsPattern(
            "(?m)^" + TIME + " +create kubernetes:Deployment " + NS + "/" + DEPLOYMENT + "$")
        .containsPattern(waitingForRollOut("[0-9]"))
        .containsPattern("waiting for CustomResourceDefinition \\S+ to be Established \\(up to");
    assertThat(fresh.out())
        .containsPattern("(?m)^create +iam:role/" + ROLE + " +trusts system:serviceaccount:")
        .containsPattern("(?m)^create +kubernetes:Deployment " + NS + "/" + DEPLOYMENT + " ")
        .contains("install: changed 21 of 21 resources");
    assertThat(Files.readString(written)).contains("eks.amazonaws.com/role-arn: " + ROLE_ARN);
    Result last = run("uninstall");
    assertSucceeded(last);
    assertThat(last.out()).contains("uninstall: changed 21 of 21 resources");
    assertNothingCreated();
  }

  // ------------------------------------------------------------------------------------ render

  @Test
  void render_needsNoClusterAccess_andWritesNothingToIam() throws Exception {
    IamState before = iamState();
    Path out = tmp.resolve("operator.yaml");

    // No --kubeconfig, no KUBECONFIG, an empty HOME: there is no way to reach a cluster.
    Result text = runWithoutCluster("render", "--manifest-out", out.toString());

    assertSucceeded(text);
    String yaml = Files.readString(out);
    assertThat(yaml)
        .contains("eks.amazonaws.com/role-arn: " + ROLE_ARN)
        .contains("operator-setup/role-arn: " + ROLE_ARN)
        .doesNotContain("apiextensions.k8s.io/v1beta1")
        .doesNotContain("gcr.io/kubebuilder/kube-rbac-proxy");
    assertThat(Pattern.compile("(?m)^apiVersion: apiextensions.k8s.io/v1$").matcher(yaml).results())
        .hasSize(8);
    assertThat(text.out()).contains("render: wrote 18 objects to " + out).contains(ROLE_ARN);

    // render needs no cluster at all: one that does not exist renders the same
    Result json =
        runWithoutCluster(
            List.of("render", "--cluster", "Not-Created-Yet", "--output", "json"), false);
    assertSucceeded(json);
    JsonNode doc = json(json);
    assertContractFields(doc, "render");
    assertThat(doc.path("roleArn").asText()).isEqualTo(ROLE_ARN);
    assertThat(doc.path("changes")).isEmpty();
    assertThat(doc.path("manifest").asText()).contains("eks.amazonaws.com/role-arn: " + ROLE_ARN);

    assertThat(iamState()).as("IAM after render").isEqualTo(before);
    assertNothingCreated();
  }

  // ------------------------------------------------------------------------------ exit code 3

  @Test
  void missingCluster_exitsThree_namingIt_andCreatesNothing() throws Exception {
    Result text = run(List.of("install", "--cluster", "Ghost-Cluster"));
    assertFailed(text, 3, "Ghost-Cluster");
    assertThat(text.err()).contains("not found in region " + REGION);

    Result json = run(List.of("install", "--cluster", "Ghost-Cluster", "--output", "json"));
    assertFailedJson(json, 3, "Ghost-Cluster");

    assertNothingCreated();
  }

  @Test
  void theClusterInAnotherRegion_exitsThree_andCreatesNothing() throws Exception {
    Result r = run(List.of("install", "--region", "eu-west-1"));

    assertFailed(r, 3, "not found in region eu-west-1");
    assertNothingCreated();
  }

  @Test
  void missingPolicies_exitThree_namingThem_andCreateNothing() throws Exception {
    Result aws = run("install", "--policy-arn", "arn:aws:iam::aws:policy/NoSuchPolicy");
    assertFailed(aws, 3, "arn:aws:iam::aws:policy/NoSuchPolicy");

    String own = "arn:aws:iam::" + ACCOUNT + ":policy/Missing";
    Result customer =
        run("install", "--policy-arn", POLICY, "--policy-arn", own, "--output", "json");
    assertFailedJson(customer, 3, own);

    assertNothingCreated();
  }

  @Test
  void aRoleOfTheSameNameMadeBySomeoneElse_exitsThree_andIsLeftAlone() throws Exception {
    String trust =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
            + "{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    iam.createRole(b -> b.roleName(ROLE).assumeRolePolicyDocument(trust));

    Result r = run("install");

    assertFailed(r, 3, ROLE);
    assertThat(r.err()).contains("--adopt-role");
    Role role = iam.getRole(b -> b.roleName(ROLE)).role();
    assertThat(URLDecoder.decode(role.assumeRolePolicyDocument(), StandardCharsets.UTF_8))
        .contains("ec2.amazonaws.com")
        .doesNotContain("AssumeRoleWithWebIdentity");
    assertThat(iam.listAttachedRolePolicies(b -> b.roleName(ROLE)).attachedPolicies()).isEmpty();
    assertThat(providers()).isEmpty();
    assertThat(sagemakerObjectsOnThePlane()).isEmpty();
  }

  // ------------------------------------------------------------------------------ exit code 2

  @Test
  void badInput_exitsTwo_beforeAnythingIsRead() throws Exception {
    Result r = run("install", "--role", "a/b", "--output", "json");

    assertFailedJson(r, 2, "--role");
    assertThat(r.err()).contains("'a/b'");
    assertNothingInMoto();
  }

  @Test
  void problemsFoundOnlyAfterReadingTheCluster_exitTwo_andCreateNothing() throws Exception {
    // the bundled manifest has no ServiceAccount of this name: found when it is rendered for the
    // cluster, after the AWS reads and before any write
    Result sa = run("install", "--service-account", "operator-x");
    assertFailed(sa, 2, "operator-x");
    assertThat(sa.err()).contains("--service-account");

    // the kubeconfig has no such context: found when connecting to the cluster
    Result context = run("install", "--context", "nope", "--output", "json");
    assertFailedJson(context, 2, "nope");

    assertNothingCreated();
  }

  // ------------------------------------------------------------------------------ exit code 4

  @Test
  void aRolloutThatCannotFinish_exitsFour_andARerunUninstallsCleanly() throws Exception {
    // The operator's objects, but its pods select a node that does not exist: the scheduler
    // leaves them Pending, so the rollout never finishes on this plane.
    Path manifest =
        Files.writeString(
            tmp.resolve("unschedulable.yaml"),
            String.join(
                "\n",
                "apiVersion: v1",
                "kind: Namespace",
                "metadata:",
                "  name: " + NS,
                "---",
                "apiVersion: v1",
                "kind: ServiceAccount",
                "metadata:",
                "  name: " + SA,
                "  namespace: " + NS,
                "---",
                "apiVersion: apps/v1",
                "kind: Deployment",
                "metadata:",
                "  name: " + DEPLOYMENT,
                "  namespace: " + NS,
                "spec:",
                "  replicas: 1",
                "  selector:",
                "    matchLabels: {control-plane: controller-manager}",
                "  template:",
                "    metadata:",
                "      labels: {control-plane: controller-manager}",
                "    spec:",
                "      serviceAccountName: " + SA,
                "      nodeSelector: {operator-setup.test/no-such-node: \"true\"}",
                "      containers:",
                "      - name: manager",
                "        image: example.com/manager:v1",
                ""));

    Result r = run("install", "--manifest", manifest.toString(), "--timeout", "8s");

    assertFailed(r, 4, DEPLOYMENT);
    assertThat(r.err())
        .containsPattern(waitingForRollOut("[0-9.]+s\\)$"))
        .contains("Timed out after")
        .contains("didn't match Pod's node affinity/selector");

    Result uninstall = run("uninstall", "--manifest", manifest.toString(), "--output", "json");
    assertSucceeded(uninstall);
    assertThat(actions(json(uninstall))).contains("delete");
    assertNothingCreated();
  }

  // ------------------------------------------------------------------------------ --debug

  @Test
  void aStackTraceOnlyWithDebug() throws Exception {
    Result plain = run(List.of("plan", "--cluster", "Ghost-Cluster"));
    Result debug = run(List.of("plan", "--cluster", "Ghost-Cluster", "--debug"));

    assertFailed(plain, 3, "Ghost-Cluster");
    assertThat(debug.exit()).isEqualTo(3);
    assertThat(STACK_FRAME.matcher(debug.err()).find()).as(debug.err()).isTrue();
    assertThat(debug.err()).contains("ResourceNotFoundException").contains("error: EKS cluster");
  }

  // ------------------------------------------------------------------------------ running

  record Result(int exit, String out, String err, Duration took, List<String> args) {}

  private Result run(String... args) throws Exception {
    return run(List.of(args));
  }

  private Result runWithoutCluster(String... args) throws Exception {
    return runWithoutCluster(List.of(args), true);
  }

  private Result runWithoutCluster(List<String> args, boolean seedCluster) throws Exception {
    List<String> all = new ArrayList<>(args);
    if (seedCluster) {
      all.addAll(List.of("--cluster", CLUSTER));
    }
    all.addAll(
        List.of("--region", REGION, "--role", ROLE, "--aws-endpoint", moto.endpoint().toString()));
    return start(all);
  }

  /**
   * Runs {@code bin/operator-setup} with the seed's options; options in {@code args} win (the
   * defaults are appended only for options not given).
   */
  private Result run(List<String> args) throws Exception {
    List<String> all = new ArrayList<>(args);
    Map<String, String> defaults = new java.util.LinkedHashMap<>();
    defaults.put("--cluster", CLUSTER);
    defaults.put("--region", REGION);
    defaults.put("--role", ROLE);
    defaults.put("--aws-endpoint", moto.endpoint().toString());
    defaults.put("--kubeconfig", plane.kubeconfig().toString());
    defaults.forEach(
        (option, value) -> {
          if (!args.contains(option)) {
            all.add(option);
            all.add(value);
          }
        });
    return start(all);
  }

  private Result start(List<String> args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("bin/operator-setup").toString());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
    Map<String, String> env = pb.environment();
    for (String name : List.copyOf(env.keySet())) {
      if (name.startsWith("AWS_") || name.equals("KUBECONFIG")) {
        env.remove(name);
      }
    }
    env.put("AWS_ACCESS_KEY_ID", "testing");
    env.put("AWS_SECRET_ACCESS_KEY", "testing");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("HOME", home.toString());
    env.put(
        "PATH",
        Path.of(System.getProperty("java.home"), "bin")
            + java.io.File.pathSeparator
            + env.getOrDefault("PATH", "/usr/bin:/bin"));
    Path stdout = Files.createTempFile(tmp, "stdout", ".txt");
    Path stderr = Files.createTempFile(tmp, "stderr", ".txt");
    pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    long started = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(PROCESS_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      fail("bin/operator-setup " + args + " did not finish within " + PROCESS_LIMIT);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    Result r =
        new Result(p.exitValue(), Files.readString(stdout), Files.readString(stderr), took, args);
    timings.add(args.get(0) + " " + took.toMillis() + "ms");
    return r;
  }

  // ------------------------------------------------------------------------------ assertions

  private static JsonNode json(Result r) throws IOException {
    return CommandBadInputTest.onlyJsonDocument(String.join(" ", r.args()), r.out());
  }

  private static void assertSucceeded(Result r) {
    assertThat(r.exit())
        .as("exit code of %s; stderr:%n%s%nstdout:%n%s", r.args(), r.err(), r.out())
        .isZero();
    assertThat(STACK_FRAME.matcher(r.err()).find()).as(r.err()).isFalse();
    assertThat(r.err()).doesNotContain("error:").doesNotContain(" INFO ").doesNotContain("WARN");
  }

  /** Exit code, one error line naming {@code mentions} and the fix, no stack trace. */
  private static void assertFailed(Result r, int exit, String mentions) {
    assertThat(r.exit())
        .as("exit code of %s; stderr:%n%s%nstdout:%n%s", r.args(), r.err(), r.out())
        .isEqualTo(exit);
    String errorLines =
        r.err()
            .lines()
            .filter(l -> !PROGRESS.matcher(l).lookingAt())
            .collect(java.util.stream.Collectors.joining("\n"));
    CommandBadInputTest.assertOneClearError(String.join(" ", r.args()), errorLines, mentions);
    if (!r.args().contains("--output")) {
      assertThat(r.out()).as("stdout of a failed run").isEmpty();
    }
  }

  private static void assertFailedJson(Result r, int exit, String mentions) throws IOException {
    assertFailed(r, exit, mentions);
    JsonNode doc = json(r);
    assertContractFields(doc, r.args().get(0));
    assertThat(doc.path("ok").asBoolean(true)).isFalse();
    assertThat(doc.path("error").path("exitCode").asInt()).isEqualTo(exit);
    assertThat(doc.path("error").path("message").asText()).contains(mentions).contains("Fix");
  }

  private static void assertContractFields(JsonNode doc, String command) {
    for (String field :
        List.of("command", "cluster", "region", "roleArn", "oidcProviderArn", "changes")) {
      assertThat(doc.has(field)).as("field " + field + " in " + doc).isTrue();
    }
    assertThat(doc.path("command").asText()).isEqualTo(command);
    assertThat(doc.path("region").asText()).isNotBlank();
    assertThat(doc.path("changes").isArray()).isTrue();
    doc.path("changes")
        .forEach(
            c -> {
              assertThat(c.path("resource").asText()).isNotBlank();
              assertThat(c.path("action").asText()).isIn("create", "update", "unchanged", "delete");
              assertThat(c.has("detail")).isTrue();
            });
    if (command.equals("verify")) {
      assertThat(doc.path("checks").isArray()).isTrue();
    }
  }

  private static List<String> actions(JsonNode doc) {
    return stream(doc.path("changes")).map(c -> c.path("action").asText()).toList();
  }

  private static List<String> resources(JsonNode doc) {
    return stream(doc.path("changes")).map(c -> c.path("resource").asText()).toList();
  }

  private static Stream<JsonNode> stream(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false);
  }

  private static String providerArn() {
    return "arn:aws:iam::"
        + ACCOUNT
        + ":oidc-provider/"
        + plane.server().getHost()
        + ":"
        + plane.server().getPort();
  }

  // ------------------------------------------------------------------------------ moto

  record IamState(List<String> roles, List<String> providers, List<String> customerPolicies) {}

  private static IamState iamState() {
    return new IamState(
        iam.listRoles().roles().stream().map(Role::roleName).sorted().toList(),
        providers(),
        iam.listPolicies(b -> b.scope(PolicyScopeType.LOCAL)).policies().stream()
            .map(p -> p.arn())
            .sorted()
            .toList());
  }

  private static List<String> providers() {
    return iam.listOpenIDConnectProviders().openIDConnectProviderList().stream()
        .map(OpenIDConnectProviderListEntry::arn)
        .sorted()
        .toList();
  }

  /** A progress line: waiting for the Deployment's roll-out, up to {@code rest}. */
  private static String waitingForRollOut(String rest) {
    return "(?m)^"
        + TIME
        + " *waiting for Deployment "
        + NS
        + "/"
        + DEPLOYMENT
        + " to roll out \\(up to "
        + rest;
  }

  /** Nothing in moto, no object of the operator on the plane. */
  private static void assertNothingCreated() throws ApiException {
    assertNothingInMoto();
    assertThat(sagemakerObjectsOnThePlane()).isEmpty();
  }

  private static void assertNothingInMoto() {
    Optional<Role> role;
    try {
      role = Optional.of(iam.getRole(b -> b.roleName(ROLE)).role());
    } catch (NoSuchEntityException e) {
      role = Optional.empty();
    }
    assertThat(role).as("role %s in moto", ROLE).isEmpty();
    assertThat(providers()).as("OIDC providers in moto").isEmpty();
  }

  // ------------------------------------------------------------------------------ the plane

  private static List<String> sagemakerCrds() throws ApiException {
    return new ApiextensionsV1Api(kube)
        .listCustomResourceDefinition().execute().getItems().stream()
            .map(c -> c.getMetadata().getName())
            .filter(n -> n.contains("sagemaker"))
            .toList();
  }

  /** Every object on the plane the operator's installer could have made. */
  private static List<String> sagemakerObjectsOnThePlane() throws ApiException {
    List<String> found = new ArrayList<>();
    sagemakerCrds().forEach(n -> found.add("CustomResourceDefinition " + n));
    new CoreV1Api(kube)
        .listNamespace().execute().getItems().stream()
            .map(n -> n.getMetadata().getName())
            .filter(n -> n.contains("sagemaker"))
            .forEach(n -> found.add("Namespace " + n));
    RbacAuthorizationV1Api rbac = new RbacAuthorizationV1Api(kube);
    rbac.listClusterRole().execute().getItems().stream()
        .map(n -> n.getMetadata().getName())
        .filter(n -> n.contains("sagemaker"))
        .forEach(n -> found.add("ClusterRole " + n));
    rbac.listClusterRoleBinding().execute().getItems().stream()
        .map(n -> n.getMetadata().getName())
        .filter(n -> n.contains("sagemaker"))
        .forEach(n -> found.add("ClusterRoleBinding " + n));
    return found;
  }
}
