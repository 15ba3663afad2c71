package dev.operatorsetup.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.operatorsetup.Durations;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.Manifests;
import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.PermissionDeniedException;
import dev.operatorsetup.ProgressEvent;
import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.ResourceNotFoundException;
import dev.operatorsetup.WaitTimeoutException;
import dev.operatorsetup.internal.manifest.ManifestRenderer;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.Change;
import dev.operatorsetup.model.Check;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.Manifest;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.model.ServiceAccountRef;
import dev.operatorsetup.port.ManifestSource;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * The {@code operator-setup} command: plan, install, verify, uninstall, render or diagnose the
 * SageMaker operator on an EKS cluster.
 *
 * <p>Exit codes: 0 success; 2 invalid input (nothing was changed); 3 refused or not found by AWS or
 * Kubernetes; 4 timed out waiting; 1 anything else, and a verify or doctor that found a problem.
 */
@Command(
    name = "operator-setup",
    mixinStandardHelpOptions = true,
    version = "operator-setup 0.1.0-SNAPSHOT",
    sortOptions = false,
    description =
        "Installs the Amazon SageMaker Operator for Kubernetes on an EKS cluster with IRSA.")
public final class Main implements Callable<Integer> {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int INVALID = 2;
  static final int REFUSED = 3;
  static final int TIMED_OUT = 4;

  @Parameters(
      index = "0",
      paramLabel = "COMMAND",
      description = "plan, install, verify, uninstall, render or doctor")
  String command;

  @Option(names = "--cluster", required = true, description = "EKS cluster name")
  String cluster;

  @Option(names = "--region", required = true, description = "the cluster's region")
  String region;

  @Option(names = "--role", required = true, description = "IAM role for the operator")
  String role;

  @Option(names = "--policy-arn", description = "managed policy to attach (repeatable)")
  List<String> policies = new ArrayList<>();

  @Option(names = "--namespace", description = "namespace of the operator")
  String namespace;

  @Option(names = "--service-account", description = "the operator's ServiceAccount")
  String serviceAccount;

  @Option(
      names = "--manifest",
      description =
          "bundled | namespaced | china | namespaced-china | v1.1.0 | FILE | https-URL#sha256=HEX")
  String manifest;

  @Option(names = "--image", description = "OLD=NEW image replacement (repeatable)")
  List<String> images = new ArrayList<>();

  @Option(names = "--thumbprint", description = "none | auto | 40 hex digits")
  String thumbprint;

  @Option(names = "--kubeconfig", description = "kubeconfig file")
  Path kubeconfig;

  @Option(names = "--context", description = "kubeconfig context")
  String context;

  @Option(names = "--aws-endpoint", description = "one endpoint for STS, EKS and IAM (emulators)")
  String awsEndpoint;

  @Option(names = "--aws-only", description = "do the AWS steps only, never connect to Kubernetes")
  boolean awsOnly;

  @Option(names = "--manifest-out", description = "write the patched manifest to this file")
  Path manifestOut;

  @Option(names = "--timeout", description = "e.g. 5m (default 10m)")
  String timeout;

  @Option(names = "--output", description = "text or json (default text)")
  String output = "text";

  @Option(names = "--adopt-role", description = "take over an existing role of this name")
  boolean adoptRole;

  @Option(names = "--force-conflicts", description = "take over fields other managers own")
  boolean forceConflicts;

  @Option(names = "--keep-crds", description = "uninstall: keep the CRDs")
  boolean keepCrds;

  @Option(names = "--remove-finalizers", description = "uninstall: drop stuck finalizers")
  boolean removeFinalizers;

  @Option(names = "--debug", description = "print stack traces")
  boolean debug;

  private final PrintStream out;
  private final PrintStream err;
  private final UnaryOperator<OperatorSetup.Options> customize;

  Main(PrintStream out, PrintStream err, UnaryOperator<OperatorSetup.Options> customize) {
    this.out = out;
    this.err = err;
    this.customize = customize;
  }

  /**
   * The slf4j-simple level: progress lines are the command's output, log lines only with --debug.
   */
  static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

  public static void main(String[] args) {
    if (System.getProperty(LOG_LEVEL_PROPERTY) == null) {
      System.setProperty(
          LOG_LEVEL_PROPERTY, java.util.Arrays.asList(args).contains("--debug") ? "debug" : "warn");
    }
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command and returns its exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, UnaryOperator.identity());
  }

  /**
   * Runs the command with its options changed by {@code customize} just before the operation runs
   * (after every input was checked); tests use it to put in-memory fakes in place of AWS and
   * Kubernetes.
   */
  static int run(
      String[] args,
      PrintStream out,
      PrintStream err,
      UnaryOperator<OperatorSetup.Options> customize) {
    Main main = new Main(out, err, customize);
    CommandLine cli = new CommandLine(main);
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    cli.setParameterExceptionHandler(
        (ParameterException e, String[] a) -> {
          // Parsing stopped at the bad argument: an --output json after it was never read.
          if (requestsJson(a)) {
            main.output = "json";
          }
          main.fail(
              INVALID, "Invalid usage: " + e.getMessage() + ". Fix: see operator-setup --help.", e);
          return INVALID;
        });
    cli.setExecutionExceptionHandler((e, c, p) -> main.handle(e));
    return cli.execute(args);
  }

  private static boolean requestsJson(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--output=json")
          || (args[i].equals("--output") && i + 1 < args.length && args[i + 1].equals("json"))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Integer call() throws IOException {
    String cmd = command.toLowerCase(Locale.ROOT);
    if (!List.of("plan", "install", "verify", "uninstall", "render", "doctor").contains(cmd)) {
      throw new InvalidConfigurationException(
          "command",
          command,
          "the command must be plan, install, verify, uninstall, render or doctor",
          "e.g. operator-setup plan --cluster ...");
    }
    if (!output.equals("text") && !output.equals("json")) {
      throw new InvalidConfigurationException(
          "--output", output, "must be text or json", "use --output json");
    }
    if (manifestOut != null) {
      Path parent = manifestOut.toAbsolutePath().getParent();
      String problem =
          Files.isDirectory(manifestOut)
              ? "it is a directory"
              : parent == null || !Files.isDirectory(parent)
                  ? "its directory " + parent + " does not exist"
                  : !Files.isWritable(parent)
                          || (Files.exists(manifestOut) && !Files.isWritable(manifestOut))
                      ? "it cannot be written"
                      : null;
      if (problem != null) {
        throw new InvalidConfigurationException(
            "--manifest-out",
            manifestOut.toString(),
            problem,
            "name a writable file in an existing directory");
      }
    }
    OperatorSetup.Options options = customize.apply(options(cmd));
    if (cmd.equals("render")) {
      return render(cmd, options);
    }
    InstallReport report =
        switch (cmd) {
          case "plan" -> options.plan();
          case "install" -> options.install();
          case "verify" -> options.verify();
          case "doctor" -> options.diagnose();
          default -> options.uninstall();
        };
    if (manifestOut != null && (cmd.equals("install") || cmd.equals("plan"))) {
      Files.writeString(manifestOut, options.render(), StandardCharsets.UTF_8);
    }
    print(report);
    return report.healthy() ? OK : FAILED;
  }

  private int render(String cmd, OperatorSetup.Options options) throws IOException {
    List<KubeObject> objects = options.renderObjects();
    String yaml = Manifests.toYaml(objects);
    String roleArn =
        objects.stream()
            .filter(o -> o.kind().equals("ServiceAccount"))
            .map(o -> o.annotations().get(ManifestPatch.ROLE_ARN_ANNOTATION))
            .filter(java.util.Objects::nonNull)
            .findFirst()
            .orElse(null);
    if (manifestOut != null) {
      Files.writeString(manifestOut, yaml, StandardCharsets.UTF_8);
    }
    if (output.equals("json")) {
      ObjectNode doc = baseJson(cmd);
      doc.put("roleArn", roleArn);
      doc.putNull("oidcProviderArn");
      doc.putArray("changes");
      doc.putArray("checks");
      doc.put("objects", objects.size());
      if (manifestOut != null) {
        doc.put("manifestOut", manifestOut.toString());
      } else {
        doc.put("manifest", yaml);
      }
      doc.put("ok", true);
      out.println(MAPPER.writeValueAsString(doc));
    } else if (manifestOut != null) {
      out.println(
          "render: wrote "
              + objects.size()
              + " objects to "
              + manifestOut
              + (roleArn == null ? "" : "; role " + roleArn));
    } else {
      out.print(yaml);
    }
    return OK;
  }

  private OperatorSetup.Options options(String cmd) {
    OperatorSetup.Options o = OperatorSetup.forCluster(cluster).inRegion(region).withRole(role);
    for (String p : policies) {
      o.withPolicy(p);
    }
    if (namespace != null) {
      o.withNamespace(namespace);
    }
    if (serviceAccount != null) {
      o.withServiceAccount(serviceAccount);
    }
    if (manifest != null) {
      ManifestSource source = Manifests.parse(manifest);
      if (!awsOnly || cmd.equals("render")) {
        Manifest loaded = checkedManifest(source);
        source = () -> loaded;
      }
      o.withManifest(source);
    }
    for (String image : images) {
      int eq = image.indexOf('=');
      if (eq <= 0 || eq == image.length() - 1) {
        throw new InvalidConfigurationException(
            "--image",
            image,
            "an image override is OLD=NEW",
            "e.g. --image gcr.io/kubebuilder/kube-rbac-proxy:v0.4.0=quay.io/brancz/kube-rbac-proxy:v0.4.0");
      }
      o.withImage(image.substring(0, eq), image.substring(eq + 1));
    }
    if (thumbprint != null) {
      o.withThumbprint(thumbprint);
    }
    if (timeout != null) {
      o.withTimeout(Durations.parse("--timeout", timeout));
    }
    if (awsEndpoint != null) {
      URI uri;
      try {
        uri = URI.create(awsEndpoint);
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigurationException(
            "--aws-endpoint", awsEndpoint, "it is not a URL", "pass e.g. http://127.0.0.1:5055");
      }
      o.withAwsEndpoint(uri);
    }
    if (kubeconfig != null) {
      if (!Files.isRegularFile(kubeconfig)) {
        throw new InvalidConfigurationException(
            "--kubeconfig",
            kubeconfig.toString(),
            Files.isDirectory(kubeconfig) ? "it is a directory" : "the file does not exist",
            "pass the path of a kubeconfig file, or leave it out to use KUBECONFIG or ~/.kube/config");
      }
      o.withKubeconfig(kubeconfig);
    }
    if (context != null) {
      o.withContext(context);
    }
    if (awsOnly) {
      o.awsOnly();
    }
    if (adoptRole) {
      o.adoptExistingRole();
    }
    if (forceConflicts) {
      o.forceConflicts();
    }
    if (keepCrds) {
      o.keepCrds();
    }
    if (removeFinalizers) {
      o.removeFinalizers();
    }
    if (output.equals("text")) {
      o.withListener(this::progress);
    }
    return o;
  }

  /**
   * Loads the manifest and checks that it has the operator's ServiceAccount exactly once, before
   * anything connects to AWS or Kubernetes, so that a bad file is reported as invalid input at
   * once. The role ARN here is a placeholder; the real one is set when the operation renders.
   */
  private Manifest checkedManifest(ManifestSource source) {
    Manifest loaded = source.load();
    Partition partition = Partition.ofRegion(region);
    ManifestRenderer.render(
        loaded,
        new ManifestPatch.Builder()
            .roleArn(
                Arn.parseRole(
                    "role ARN", "arn:" + partition.id() + ":iam::000000000000:role/" + role))
            .serviceAccount(
                ServiceAccountRef.of(
                    namespace != null ? namespace : ServiceAccountRef.DEFAULT_NAMESPACE,
                    serviceAccount != null ? serviceAccount : ServiceAccountRef.DEFAULT_NAME))
            .build(),
        false);
    return loaded;
  }

  private void progress(ProgressEvent e) {
    String time = String.format(Locale.ROOT, "[%6s]", Durations.format(e.elapsed()));
    switch (e.type()) {
      case STEP_STARTED -> err.println(time + " " + e.step() + ": " + e.detail() + " ...");
      case CHANGE -> err.println(time + "   " + e.detail().split(":", 2)[0] + " " + e.step());
      case WAITING -> err.println(time + "   " + e.detail());
      default -> {}
    }
  }

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new Jdk8Module())
          .enable(SerializationFeature.INDENT_OUTPUT);

  private ObjectNode baseJson(String cmd) {
    ObjectNode doc = MAPPER.createObjectNode();
    doc.put("command", cmd);
    doc.put("cluster", cluster);
    doc.put("region", region);
    return doc;
  }

  private void print(InstallReport report) throws IOException {
    if (output.equals("json")) {
      ObjectNode doc = MAPPER.valueToTree(report);
      doc.put("command", command.toLowerCase(Locale.ROOT));
      doc.put("roleArn", report.roleArn().orElse(null));
      doc.put("oidcProviderArn", report.oidcProviderArn().orElse(null));
      doc.put("ok", report.healthy());
      out.println(MAPPER.writeValueAsString(doc));
      return;
    }
    if (!report.changes().isEmpty()) {
      int width = report.changes().stream().mapToInt(c -> c.resource().length()).max().orElse(10);
      out.printf(Locale.ROOT, "%-9s %-" + width + "s  %s%n", "ACTION", "RESOURCE", "DETAIL");
      for (Change c : report.changes()) {
        out.printf(
            Locale.ROOT, "%-9s %-" + width + "s  %s%n", c.action().id(), c.resource(), c.detail());
      }
    }
    if (!report.checks().isEmpty()) {
      for (Check c : report.checks()) {
        out.printf(Locale.ROOT, "%-4s %-17s %s%n", c.ok() ? "ok" : "FAIL", c.name(), c.detail());
      }
    }
    long changed =
        report.changes().stream()
            .filter(c -> c.action() != dev.operatorsetup.model.ChangeAction.UNCHANGED)
            .count();
    String verb = report.command().equals("plan") ? "would change" : "changed";
    out.println(
        report.command()
            + ": "
            + (report.checks().isEmpty()
                ? verb + " " + changed + " of " + report.changes().size() + " resources"
                : (report.healthy() ? "healthy" : "problems found"))
            + " in "
            + Durations.format(java.time.Duration.ofMillis(report.durationMillis()))
            + report.roleArn().map(r -> "; role " + r).orElse(""));
  }

  private int handle(Exception e) {
    if (e instanceof InvalidConfigurationException invalid) {
      return fail(INVALID, withOption(invalid), e);
    }
    if (e instanceof PermissionDeniedException
        || e instanceof ResourceConflictException
        || e instanceof ResourceNotFoundException) {
      return fail(REFUSED, e.getMessage(), e);
    }
    if (e instanceof WaitTimeoutException) {
      return fail(TIMED_OUT, e.getMessage(), e);
    }
    if (e instanceof OperatorSetupException) {
      return fail(FAILED, e.getMessage(), e);
    }
    return fail(
        FAILED,
        "Unexpected error: " + e + ". Fix: run again with --debug and report the stack trace.",
        e);
  }

  /** The command-line option of each field the library names in its messages. */
  private static final Map<String, String> OPTIONS =
      Map.ofEntries(
          Map.entry("cluster name", "--cluster"),
          Map.entry("region", "--region"),
          Map.entry("role name", "--role"),
          Map.entry("policy ARN", "--policy-arn"),
          Map.entry("namespace", "--namespace"),
          Map.entry("service account name", "--service-account"),
          Map.entry("service account", "--service-account"),
          Map.entry("manifest", "--manifest"),
          Map.entry("manifest file", "--manifest"),
          Map.entry("manifest URL", "--manifest"),
          Map.entry("image override", "--image"),
          Map.entry("thumbprint", "--thumbprint"),
          Map.entry("AWS endpoint", "--aws-endpoint"),
          Map.entry("kubeconfig", "--kubeconfig"),
          Map.entry("kubeconfig context", "--context"));

  /** Names the option as well as the library's field: "Invalid role name (--role) 'a/b': ...". */
  static String withOption(InvalidConfigurationException e) {
    String option = e.field() == null ? null : OPTIONS.get(e.field());
    String prefix = "Invalid " + e.field() + " ";
    String message = e.getMessage();
    if (option == null || !message.startsWith(prefix)) {
      return message;
    }
    return "Invalid " + e.field() + " (" + option + ") " + message.substring(prefix.length());
  }

  private int fail(int code, String message, Throwable e) {
    if ("json".equals(output)) {
      ObjectNode doc = MAPPER.createObjectNode();
      doc.put("command", command == null ? null : command.toLowerCase(Locale.ROOT));
      doc.put("cluster", cluster);
      doc.put("region", region);
      doc.putNull("roleArn");
      doc.putNull("oidcProviderArn");
      doc.putArray("changes");
      doc.put("ok", false);
      doc.putObject("error").put("message", message).put("exitCode", code);
      try {
        out.println(MAPPER.writeValueAsString(doc));
      } catch (IOException io) {
        err.println(message);
      }
    }
    err.println("error: " + message);
    if (debug) {
      e.printStackTrace(err);
    }
    return code;
  }
}
