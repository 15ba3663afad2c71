package dev.operatorsetup.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.WaitTimeoutException;
import dev.operatorsetup.aws.AwsPorts;
import dev.operatorsetup.kubernetes.KubernetesPorts;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.testkit.plane.RequiresControlPlane;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.credentials.AccessTokenAuthentication;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Throttling and 5xx answers, on both sides, are retried within bounds; a timeout names what it
 * waited for. The errors come from {@link FlakyProxy}, a loopback proxy in front of the real
 * emulators that answers chosen calls with an error a few times (before passing them on, or after:
 * the write was made but its answer lost) and passes everything else to moto_server or the plane.
 *
 * <p>One retry budget: the adapters make one attempt per call and map Throttling, 429 and 5xx to a
 * retryable {@code OperatorSetupException} (with the service's Retry-After), which the engine tries
 * at most 5 times in total. The adapters' unit tests prove the single attempt against a stub that
 * only ever fails ({@code AwsPortsTest.serverErrors_areOneAttemptPerCall_andRetryable}, {@code
 * OneAttemptTest} in the kubernetes module), and {@link RetryBudgetTest} the total of 5 for a whole
 * operation without emulators; here a whole install recovers.
 *
 * <p>The timeout: kwok (the plane's fake kubelet) starts any pod, so the Deployment is kept from
 * rolling out the way a real cluster does it: a ResourceQuota of {@code pods: 0} in the namespace,
 * made before the install; the ReplicaSet then cannot create a pod.
 */
@RequiresControlPlane
class RetriesIT {

  static final String CLUSTER = "reliability-retries";

  @RegisterExtension static final Emulators em = new Emulators("t");

  @BeforeEach
  void cluster() {
    em.cluster(CLUSTER);
  }

  /** The state of an undisturbed install, in its own namespace, for comparison. */
  private static List<String> reference() {
    String ns = em.namespace("ref" + em.tracked());
    em.setup(CLUSTER, ns).install();
    em.clusterScoped = em.manifest(CLUSTER, ns);
    return em.state(CLUSTER, ns);
  }

  /**
   * The state of the install into {@code ns}, which must equal that of an undisturbed install (made
   * after moto is emptied).
   */
  private static List<String> stateAsUndisturbed(String ns) {
    em.clusterScoped = em.manifest(CLUSTER, ns);
    List<String> state = em.state(CLUSTER, ns);
    em.moto.reset();
    em.cluster(CLUSTER);
    assertThat(state).isEqualTo(reference());
    return state;
  }

  /** AWS ports through the proxy (the caller closes them). */
  private static AwsPorts awsThrough(FlakyProxy proxy) {
    return AwsPorts.builder()
        .region(Emulators.REGION)
        .credentialsProvider(Emulators.CREDENTIALS)
        .endpointOverride(proxy.endpoint())
        .build();
  }

  /** Matches the AWS query-protocol action. */
  private static Predicate<FlakyProxy.Request> action(String action) {
    return r -> r.action().equals(action);
  }

  @Test
  void awsThrottlingAnd5xx_areRetried_andTheInstallConverges() throws Exception {
    try (FlakyProxy proxy = new FlakyProxy(em.moto.endpoint(), null)) {
      List<FlakyProxy.Fault> faults =
          List.of(
              proxy.fail(
                  "sts:GetCallerIdentity 500",
                  action("GetCallerIdentity"),
                  1,
                  false,
                  FlakyProxy.queryError(500, "InternalFailure", "try again")),
              proxy.fail(
                  "eks:DescribeCluster 503",
                  r -> r.method().equals("GET") && r.path().startsWith("/clusters/"),
                  2,
                  false,
                  FlakyProxy.restJsonError(503, "ServiceUnavailableException", "busy")),
              proxy.fail(
                  "iam:CreateOpenIDConnectProvider made, answer lost (500)",
                  action("CreateOpenIDConnectProvider"),
                  1,
                  true,
                  FlakyProxy.queryError(500, "ServiceFailure", "lost")),
              proxy.fail(
                  "iam:CreateRole Throttling",
                  action("CreateRole"),
                  2,
                  false,
                  FlakyProxy.queryError(400, "Throttling", "Rate exceeded")),
              proxy.fail(
                  "iam:AttachRolePolicy made, answer lost (503)",
                  action("AttachRolePolicy"),
                  1,
                  true,
                  FlakyProxy.queryError(503, "ServiceUnavailable", "lost")),
              proxy.fail(
                  "iam:GetRole Throttling",
                  action("GetRole"),
                  2,
                  false,
                  FlakyProxy.queryError(400, "Throttling", "Rate exceeded")));
      String ns = em.namespace("aws");
      long start = System.nanoTime();
      try (AwsPorts flaky = awsThrough(proxy)) {
        InstallReport report = em.setup(CLUSTER, ns, flaky, em.kube).install();
        assertThat(report.changed()).isTrue();
      }
      long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
      System.out.println("[RetriesIT] AWS faults injected: " + faults + " in " + seconds + " s");
      assertThat(faults).allSatisfy(f -> assertThat(f.injected()).as(f.name).isPositive());
      assertThat(seconds).as("retries within bounds").isLessThan(60);
      assertThat(stateAsUndisturbed(ns))
          .as("one provider and one role, although their creations were answered with errors")
          .filteredOn(s -> s.startsWith("provider ") || s.startsWith("role "))
          .hasSize(2);
    }
  }

  @Test
  void awsErrorsThatDoNotStop_endInARetryableErrorNamingTheCall_withinBounds() throws Exception {
    try (FlakyProxy proxy = new FlakyProxy(em.moto.endpoint(), null)) {
      FlakyProxy.Fault fault =
          proxy.fail(
              "iam:CreateRole always 500",
              action("CreateRole"),
              Integer.MAX_VALUE,
              false,
              FlakyProxy.queryError(500, "ServiceFailure", "down"));
      long start = System.nanoTime();
      try (AwsPorts flaky = awsThrough(proxy)) {
        assertThatThrownBy(
                () -> em.setup(CLUSTER, em.namespace("awsdown"), flaky, em.kube).install())
            .isInstanceOfSatisfying(
                OperatorSetupException.class,
                e -> {
                  assertThat(e.retryable()).isTrue();
                  assertThat(e.getMessage()).contains("iam:CreateRole");
                });
      }
      long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
      System.out.println(
          "[RetriesIT] CreateRole attempts before giving up: "
              + fault.injected()
              + " in "
              + seconds
              + " s");
      // one retry budget: the engine's 5 attempts in total, the SDK client makes one per attempt
      assertThat(fault.injected()).isEqualTo(RetryBudgetTest.ATTEMPTS);
      assertThat(seconds).isLessThan(120);
    }
  }

  @Test
  void kubernetesThrottlingAnd5xx_areRetried_andTheInstallConverges() throws Exception {
    try (FlakyProxy proxy = new FlakyProxy(em.plane.server(), em.planeTls())) {
      List<FlakyProxy.Fault> faults =
          List.of(
              proxy.fail(
                  "discovery 503",
                  r -> r.method().equals("GET") && r.path().startsWith("/apis"),
                  1,
                  false,
                  FlakyProxy.kubernetesError(503, "ServiceUnavailable", "apiserver is busy", 0)),
              proxy.fail(
                  "apply 429 Retry-After 1",
                  r -> r.method().equals("PATCH"),
                  3,
                  false,
                  FlakyProxy.kubernetesError(429, "TooManyRequests", "too many requests", 1)),
              proxy.fail(
                  "apply of the Deployment made, answer lost (504)",
                  r -> r.method().equals("PATCH") && r.path().contains("/deployments/"),
                  1,
                  true,
                  FlakyProxy.kubernetesError(504, "Timeout", "the server timed out", 0)),
              proxy.fail(
                  "get 500",
                  r -> r.method().equals("GET") && r.path().contains("/serviceaccounts/"),
                  2,
                  false,
                  FlakyProxy.kubernetesError(
                      500, "InternalError", "etcdserver: leader changed", 0)));
      ApiClient client =
          new ClientBuilder()
              .setBasePath(proxy.endpoint().toString())
              .setAuthentication(new AccessTokenAuthentication(em.adminToken()))
              .setReadTimeout(Duration.ofSeconds(30))
              .build();
      String ns = em.namespace("kube");
      long start = System.nanoTime();
      Kubernetes flaky = KubernetesPorts.fromApiClient(client);
      InstallReport report = em.setup(CLUSTER, ns, em.aws, flaky).install();
      long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
      System.out.println(
          "[RetriesIT] Kubernetes faults injected: " + faults + " in " + seconds + " s");
      assertThat(report.changed()).isTrue();
      assertThat(faults).allSatisfy(f -> assertThat(f.injected()).as(f.name).isPositive());
      assertThat(seconds).isLessThan(60);
      stateAsUndisturbed(ns);
    }
  }

  @Test
  void aDeploymentThatCannotRollOut_timesOutNamingTheDeployment_thenARepairedRunConverges() {
    String ns = em.namespace("quota");
    em.kubectl("create", "namespace", ns);
    em.kubectl("-n", ns, "create", "quota", "no-pods", "--hard=pods=0");
    long start = System.nanoTime();
    assertThatThrownBy(() -> em.setup(CLUSTER, ns).withTimeout(Duration.ofSeconds(20)).install())
        .isInstanceOfSatisfying(
            WaitTimeoutException.class,
            e -> {
              System.out.println("[RetriesIT] timeout: " + e.getMessage());
              assertThat(e.getMessage())
                  .contains("Deployment " + ns + "/" + Emulators.DEPLOYMENT + " to roll out")
                  .contains("0 out of 1 new replicas")
                  .contains("exceeded quota");
            });
    assertThat(Duration.ofNanos(System.nanoTime() - start).toSeconds()).isBetween(15L, 40L);
    em.clusterScoped = em.manifest(CLUSTER, ns);

    // the command says the same, and exits 4
    Tools.Result timedOut =
        Tools.operatorSetup(em.args("install", CLUSTER, ns, "--timeout", "10s"));
    assertThat(timedOut.exit()).as(timedOut.output()).isEqualTo(4);
    assertThat(timedOut.stderr())
        .contains("error: ")
        .contains("Deployment " + ns + "/" + Emulators.DEPLOYMENT + " to roll out");

    em.kubectl("-n", ns, "delete", "quota", "no-pods");
    em.setup(CLUSTER, ns).install();
    assertThat(em.setup(CLUSTER, ns).diagnose().healthy()).isTrue();
  }
}
