package dev.operatorsetup.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.aws.AwsPorts;
import dev.operatorsetup.kubernetes.KubernetesPorts;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.testkit.plane.RequiresControlPlane;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * No credential, session token, EKS bearer token or kubeconfig secret appears in a log line, an
 * exception message or the JSON output. The command runs as a process (plan, install, verify,
 * doctor, uninstall, and errors, one of them on the EKS-token path) with unique values in
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, with {@code --debug} and at
 * slf4j-simple's DEBUG level; the Java API runs with standard output and error captured
 * (slf4j-simple writes there). Everything captured is scanned for those values, the plane's admin
 * token and the kubeconfig's certificate-authority-data, in plain, URL-encoded and base64 forms,
 * and for any EKS token ({@code k8s-aws-v1.}) or presigned signature at all.
 */
@RequiresControlPlane
class SecretsIT {

  static final String CLUSTER = "reliability-secrets";

  /** A cluster whose endpoint is the plane: without a kubeconfig, an EKS token is sent. */
  static final String EKS_CLUSTER = "reliability-secrets-eks";

  static final SecureRandom RANDOM = new SecureRandom();
  static final String ACCESS_KEY = "ASIA" + random("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
  static final String SECRET_KEY =
      random("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40);
  static final String SESSION_TOKEN =
      "IQoJb3JpZ2luX2Vj"
          + random("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 300);

  @RegisterExtension static final Emulators em = new Emulators("s");

  /** Everything captured in this class, by where it came from. */
  static final Map<String, String> captured = new LinkedHashMap<>();

  @TempDir static Path home;

  private static String random(String alphabet, int length) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  /** Before the emulators clean up (the extension's afterAll comes after this). */
  @AfterAll
  static void scanEverything() {
    if (!captured.isEmpty()) {
      assertNoSecretIn(captured);
    }
  }

  /** The values that must never be printed, in every form they could take. */
  private static Map<String, String> secrets() {
    Map<String, String> plain = new LinkedHashMap<>();
    plain.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
    plain.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    plain.put("AWS_SESSION_TOKEN", SESSION_TOKEN);
    plain.put("kubeconfig token", em.adminToken());
    plain.put(
        "kubeconfig certificate-authority-data", em.kubeconfigField("certificate-authority-data"));
    Map<String, String> forms = new LinkedHashMap<>();
    plain.forEach(
        (name, value) -> {
          forms.put(name, value);
          forms.put(name + " (URL-encoded)", URLEncoder.encode(value, StandardCharsets.UTF_8));
          forms.put(
              name + " (base64)",
              Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
          forms.put(
              name + " (base64url)",
              Base64.getUrlEncoder()
                  .withoutPadding()
                  .encodeToString(value.getBytes(StandardCharsets.UTF_8)));
        });
    // the secret key and token in pieces: no 16 characters of either in a row
    forms.put("AWS_SECRET_ACCESS_KEY (first 16)", SECRET_KEY.substring(0, 16));
    forms.put("AWS_SECRET_ACCESS_KEY (last 16)", SECRET_KEY.substring(24));
    forms.put("AWS_SESSION_TOKEN (middle)", SESSION_TOKEN.substring(100, 132));
    // an EKS bearer token, and a presigned URL, whatever credentials made them
    forms.put("an EKS token", "k8s-aws-v1.");
    forms.put("a presigned signature", "X-Amz-Signature=");
    forms.put("a presigned session token", "X-Amz-Security-Token=");
    forms.put("an Authorization header value", "Bearer ");
    return forms;
  }

  private static void assertNoSecretIn(Map<String, String> texts) {
    Map<String, String> secrets = secrets();
    List<String> leaks = new ArrayList<>();
    texts.forEach(
        (where, text) ->
            secrets.forEach(
                (what, value) -> {
                  int at = text.indexOf(value);
                  if (at >= 0) {
                    leaks.add(
                        what
                            + " in "
                            + where
                            + ": ..."
                            + text.substring(Math.max(0, at - 80), at).replace('\n', '|')
                            + "<HERE>");
                  }
                }));
    assertThat(leaks).as("secrets found in what was captured").isEmpty();
  }

  private static void capture(String where, String text) {
    captured.merge(where, text, (a, b) -> a + "\n" + b);
  }

  // ------------------------------------------------------------------ the command

  private static Map<String, String> secretEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    env.put("AWS_SESSION_TOKEN", SESSION_TOKEN);
    env.put("AWS_REGION", Emulators.REGION);
    env.put("AWS_PROFILE", "");
    // no ~/.kube/config, no ~/.aws: the run can only use what it is given
    env.put("HOME", home.toString());
    env.put("KUBECONFIG", home.resolve("no-such-kubeconfig").toString());
    return env;
  }

  private static Tools.Result command(String label, List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.add("--debug");
    Tools.Result r =
        Tools.run(
            Tools.command(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug"), all),
            secretEnv(),
            Duration.ofMinutes(3));
    capture("command " + label + " stdout", r.stdout());
    capture("command " + label + " stderr", r.stderr());
    return r;
  }

  private static List<String> args(String command, String cluster, String ns, String... more) {
    return em.args(command, cluster, ns, em.moto.endpoint(), more);
  }

  @Test
  void theCommandAtDebugLevel_printsNoSecret() throws IOException {
    em.cluster(CLUSTER);
    String ns = em.namespace("command");
    String kubeconfig = em.plane.kubeconfig().toString();

    Tools.Result plan = command("plan", args("plan", CLUSTER, ns, "--kubeconfig", kubeconfig));
    assertThat(plan.exit()).as(plan.output()).isZero();
    Tools.Result install =
        command("install", args("install", CLUSTER, ns, "--kubeconfig", kubeconfig));
    assertThat(install.exit()).as(install.output()).isZero();
    em.clusterScoped = em.manifest(CLUSTER, ns);
    Tools.Result json =
        command(
            "install --output json",
            args("install", CLUSTER, ns, "--kubeconfig", kubeconfig, "--output", "json"));
    assertThat(json.exit()).as(json.output()).isZero();
    Tools.Result verify =
        command("verify", args("verify", CLUSTER, ns, "--kubeconfig", kubeconfig));
    assertThat(verify.exit()).as(verify.output()).isZero();
    Tools.Result doctor =
        command(
            "doctor", args("doctor", CLUSTER, ns, "--kubeconfig", kubeconfig, "--output", "json"));
    assertThat(doctor.exit()).as(doctor.output()).isZero();

    // errors: a kubeconfig whose token the plane refuses ...
    String badToken = random("abcdefghijklmnopqrstuvwxyz0123456789", 40);
    Path badKubeconfig = home.resolve("bad.kubeconfig");
    Files.writeString(
        badKubeconfig, Files.readString(em.plane.kubeconfig()).replace(em.adminToken(), badToken));
    Tools.Result refused =
        command(
            "refused token",
            args(
                "verify",
                CLUSTER,
                ns,
                "--kubeconfig",
                badKubeconfig.toString(),
                "--output",
                "json"));
    assertThat(refused.exit()).as(refused.output()).isNotZero();
    assertThat(refused.stderr()).contains("error: ");
    assertThat(refused.output()).doesNotContain(badToken);

    // ... an EKS cluster without a kubeconfig: an EKS bearer token is made and refused ...
    createEksCluster();
    Tools.Result eks =
        command("EKS token refused", args("install", EKS_CLUSTER, ns, "--output", "json"));
    assertThat(eks.exit()).as(eks.output()).isNotZero();
    assertThat(eks.output()).contains("error: ");

    // ... and bad input
    Tools.Result invalid =
        command("invalid input", args("install", CLUSTER, ns, "--policy-arn", "NotAnArn"));
    assertThat(invalid.exit()).isEqualTo(2);

    Tools.Result uninstall =
        command("uninstall", args("uninstall", CLUSTER, ns, "--kubeconfig", kubeconfig));
    assertThat(uninstall.exit()).as(uninstall.output()).isZero();

    // DEBUG lines were written, and the credentials were used (moto answered)
    assertThat(install.stderr()).contains(" DEBUG ");
    assertThat(install.stdout()).contains("install: changed");
    assertNoSecretIn(captured);
  }

  /** An EKS cluster in moto whose endpoint and CA are the plane's. */
  private static void createEksCluster() {
    em.eksClusterOnThePlane(EKS_CLUSTER, em.kubeconfigField("certificate-authority-data"));
  }

  // ------------------------------------------------------------------ the Java API

  @Test
  void theJavaApi_logsAndExceptionsAndReports_holdNoSecret() throws Exception {
    em.cluster(CLUSTER);
    createEksCluster();
    String ns = em.namespace("api");
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(
            AwsSessionCredentials.create(ACCESS_KEY, SECRET_KEY, SESSION_TOKEN));
    ObjectMapper json = new ObjectMapper().registerModule(new Jdk8Module());
    StringBuilder texts = new StringBuilder();

    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    try (AwsPorts aws =
            AwsPorts.builder()
                .region(Emulators.REGION)
                .credentialsProvider(credentials)
                .endpointOverride(em.moto.endpoint())
                .build();
        var kube = KubernetesPorts.fromKubeconfig(em.plane.kubeconfig())) {
      OperatorSetup.Options setup =
          em.setup(CLUSTER, ns, aws, kube).withListener(e -> texts.append(e).append('\n'));
      for (InstallReport r :
          List.of(setup.plan(), setup.install(), setup.verify(), setup.diagnose())) {
        texts.append(r).append('\n').append(json.writeValueAsString(r)).append('\n');
      }
      em.clusterScoped = setup.renderObjects();
      texts.append(setup.render());

      // an EKS token the plane refuses, signed with these credentials
      OperatorSetup.Options eks =
          OperatorSetup.forCluster(EKS_CLUSTER)
              .inRegion(Emulators.REGION)
              .withRole(Emulators.ROLE)
              .withNamespace(ns)
              .withAws(aws)
              .withKubernetesConnector(
                  cluster -> KubernetesPorts.forEksCluster(cluster, Emulators.REGION, credentials))
              .withTimeout(Duration.ofMinutes(1));
      assertThatThrownBy(eks::install)
          .isInstanceOf(OperatorSetupException.class)
          .satisfies(e -> texts.append(stackTrace(e)));
      assertThatThrownBy(eks::diagnose)
          .isInstanceOf(OperatorSetupException.class)
          .satisfies(e -> texts.append(stackTrace(e)));
      texts.append(setup.uninstall());
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    String logs = console.toString(StandardCharsets.UTF_8);
    assertThat(logs.toLowerCase(Locale.ROOT)).contains("info");
    capture("Java API logs", logs);
    capture("Java API reports, events, exceptions", texts.toString());
    assertNoSecretIn(Map.of("Java API logs", logs, "Java API reports", texts.toString()));
  }

  private static String stackTrace(Throwable e) {
    StringWriter w = new StringWriter();
    e.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
