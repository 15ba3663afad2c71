package dev.operatorsetup.bench;

import dev.operatorsetup.Manifests;
import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.aws.AwsPorts;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What every measurement shares: the configuration, the fixtures (clusters in moto, cleaning the
 * control plane), the AWS ports, the rendered v1 installer and its objects, unique names, the
 * progress log and the failures that make the benchmark exit 1.
 */
final class BenchContext {
  static final String NAMESPACE = "sagemaker-k8s-operator-system";
  static final String PLACEHOLDER_ROLE = "BENCH-PLACEHOLDER-ROLE";
  static final Duration TIMEOUT = Duration.ofMinutes(5);

  final Config cfg;
  final Fixtures fx;
  final AwsPorts aws;

  /** How long cleaning the control plane between measured installs took. */
  final Samples wipes = new Samples();

  private final PrintStream log;
  private final List<String> failures = new ArrayList<>();
  private final String prefix = "b" + Long.toString(System.currentTimeMillis() / 1000, 36);
  private int serial;
  private List<ObjectRef> installerRefs = List.of();
  private List<ObjectRef> crdRefs = List.of();
  private Path manifestV1;

  BenchContext(Config cfg, Fixtures fx, AwsPorts aws, PrintStream log) {
    this.cfg = cfg;
    this.fx = fx;
    this.aws = aws;
    this.log = log;
  }

  /** Renders the v1-converted installer with a placeholder role, and clears the control plane. */
  void prepare() throws IOException {
    String cluster = name("render");
    fx.createCluster(cluster);
    List<KubeObject> objects =
        OperatorSetup.forCluster(cluster)
            .inRegion(cfg.region())
            .withRole(PLACEHOLDER_ROLE)
            .withAws(aws)
            .convertCrds("always")
            .renderObjects();
    manifestV1 = cfg.work().resolve("installer-v1.yaml").toAbsolutePath();
    Files.writeString(manifestV1, Manifests.toYaml(objects), StandardCharsets.UTF_8);
    installerRefs = objects.stream().map(KubeObject::ref).toList();
    crdRefs =
        installerRefs.stream().filter(r -> r.kind().equals("CustomResourceDefinition")).toList();
    say(
        "rendered %s (%d objects, v1 CRDs, role placeholder %s)",
        manifestV1, objects.size(), PLACEHOLDER_ROLE);
    int maxFleet = cfg.fleet().stream().mapToInt(Integer::intValue).max().orElse(0);
    List<ObjectRef> leftovers = new ArrayList<>(installerRefs);
    for (int i = 1; i <= maxFleet; i++) {
      leftovers.add(namespace("fleet-" + i));
    }
    fx.wipe(leftovers);
  }

  /** The v1-converted installer with the placeholder role, for the shell procedure. */
  Path manifestV1() {
    return manifestV1;
  }

  /** The installer's CustomResourceDefinitions (cluster-scoped, shared by namespaced installs). */
  List<ObjectRef> crdRefs() {
    return crdRefs;
  }

  /** A new name for a cluster, role or work directory: the run's prefix, what, a serial number. */
  String name(String what) {
    return prefix + "-" + what + "-" + (++serial);
  }

  /** The run's prefix, for names that must be predictable (the fleet's). */
  String prefix() {
    return prefix;
  }

  static ObjectRef namespace(String name) {
    return ObjectRef.of("v1", "Namespace", null, name);
  }

  /**
   * Deletes every installer object and waits for it to be gone; the time goes to {@link #wipes}.
   */
  void wipeInstaller() {
    long start = System.nanoTime();
    fx.wipe(installerRefs);
    wipes.add(millisSince(start));
  }

  void expectChanged(InstallReport report, String id) {
    if (!report.changed()) {
      throw new IllegalStateException("install " + id + " changed nothing: not a fresh install");
    }
  }

  /** Records a failure: the benchmark goes on, and exits 1 at the end. */
  void fail(String failure) {
    failures.add(failure);
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  void say(String format, Object... args) {
    log.println("[bench] " + String.format(Locale.ROOT, format, args));
  }

  static double millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  static double last(Samples s) {
    return s.values().get(s.count() - 1);
  }
}
