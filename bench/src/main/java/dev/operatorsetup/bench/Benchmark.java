package dev.operatorsetup.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operatorsetup.Manifests;
import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.ProgressEvent;
import dev.operatorsetup.aws.AwsPorts;
import dev.operatorsetup.kubernetes.KubernetesPorts;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.port.Kubernetes;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The benchmark {@code bench/run} runs on moto_server and the local control plane. It prints
 * Markdown tables: the seed's shell procedure vs operator-setup in one JVM vs the command in a cold
 * JVM; a no-op re-run with its reads and writes; the API calls of one install against the minimum;
 * a fleet of concurrent installs. It exits 1 if an install fails or a no-op re-run writes anything.
 *
 * <p>Every measured install starts from the same clean state: a new EKS cluster in moto (with its
 * own OIDC issuer, so every method creates the OIDC provider), a new role name, and no installer
 * object on the control plane. Setting up and cleaning up are outside the timed regions.
 */
public final class Benchmark {
  static final String NAMESPACE = "sagemaker-k8s-operator-system";
  static final String PLACEHOLDER_ROLE = "BENCH-PLACEHOLDER-ROLE";
  static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Config cfg;
  private final PrintStream out;
  private final PrintStream log;
  private final List<String> failures = new ArrayList<>();
  private final String prefix = "b" + Long.toString(System.currentTimeMillis() / 1000, 36);
  private Fixtures fx;
  private AwsPorts aws;
  private MeteredAws meteredAws;
  private MeteredKubernetes meteredKube;
  private final Timeline timeline = new Timeline();
  private double lastFleetCpu = Double.NaN;
  private List<ObjectRef> installerRefs;
  private List<ObjectRef> crdRefs;
  private Path manifestV1;
  private int serial;
  private final Samples wipes = new Samples();

  /** The command line: {@code --name value} pairs. */
  record Config(
      URI awsEndpoint,
      Path kubeconfig,
      String region,
      Path command,
      Path seedScript,
      Path work,
      int seedRuns,
      int warmups,
      int warmRuns,
      int freshRuns,
      int coldRuns,
      int cdsRuns,
      int noopRuns,
      List<Integer> fleet,
      Path markdown,
      String issuerHost,
      List<String> sections,
      Path planePids,
      Path motoPid) {

    static Config parse(String[] args) {
      Map<String, String> a = new LinkedHashMap<>();
      for (int i = 0; i < args.length; i++) {
        if (!args[i].startsWith("--") || i + 1 >= args.length) {
          throw new IllegalArgumentException(
              "usage: Benchmark --aws-endpoint URL --kubeconfig FILE [--name value]...; got "
                  + args[i]);
        }
        a.put(args[i].substring(2), args[++i]);
      }
      String endpoint = a.remove("aws-endpoint");
      String kubeconfig = a.remove("kubeconfig");
      if (endpoint == null || kubeconfig == null) {
        throw new IllegalArgumentException("--aws-endpoint and --kubeconfig are required");
      }
      Config c =
          new Config(
              URI.create(endpoint),
              Path.of(kubeconfig),
              a.getOrDefault("region", "us-east-1"),
              Path.of(a.getOrDefault("command", "bin/operator-setup")),
              Path.of(a.getOrDefault("seed-script", "bench/seed-procedure.sh")),
              Path.of(a.getOrDefault("work", "bench/target/work")),
              Integer.parseInt(a.getOrDefault("seed-runs", "3")),
              Integer.parseInt(a.getOrDefault("warmups", "2")),
              Integer.parseInt(a.getOrDefault("warm-runs", "5")),
              Integer.parseInt(a.getOrDefault("fresh-runs", "5")),
              Integer.parseInt(a.getOrDefault("cold-runs", "3")),
              Integer.parseInt(a.getOrDefault("cds-runs", "3")),
              Integer.parseInt(a.getOrDefault("noop-runs", "5")),
              Arrays.stream(a.getOrDefault("fleet", "1,10,50").split(","))
                  .filter(s -> !s.isBlank())
                  .map(String::trim)
                  .map(Integer::parseInt)
                  .toList(),
              a.containsKey("markdown") ? Path.of(a.get("markdown")) : null,
              a.getOrDefault("issuer-host", "oidc.bench.local"),
              Arrays.stream(a.getOrDefault("sections", "installs,noop,fleet").split(","))
                  .map(String::trim)
                  .toList(),
              a.containsKey("plane-pids") ? Path.of(a.get("plane-pids")) : null,
              a.containsKey("moto-pid") ? Path.of(a.get("moto-pid")) : null);
      for (String k :
          List.of(
              "region",
              "command",
              "seed-script",
              "work",
              "seed-runs",
              "warmups",
              "warm-runs",
              "fresh-runs",
              "cold-runs",
              "cds-runs",
              "noop-runs",
              "fleet",
              "markdown",
              "issuer-host",
              "sections",
              "plane-pids",
              "moto-pid")) {
        a.remove(k);
      }
      if (!a.isEmpty()) {
        throw new IllegalArgumentException("unknown options " + a.keySet());
      }
      if (c.seedRuns < 1 || c.warmRuns < 1 || c.coldRuns < 1 || c.noopRuns < 1) {
        throw new IllegalArgumentException("every run count must be at least 1");
      }
      return c;
    }
  }

  Benchmark(Config cfg, PrintStream out, PrintStream log) {
    this.cfg = cfg;
    this.out = out;
    this.log = log;
  }

  /** Runs the benchmark; see the class comment. */
  public static void main(String[] args) {
    System.setProperty(
        "org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    int code;
    try {
      code = new Benchmark(Config.parse(args), System.out, System.err).run();
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      code = 2;
    } catch (Exception e) {
      System.err.println("bench: FAILED");
      e.printStackTrace();
      code = 1;
    }
    System.exit(code);
  }

  int run() throws Exception {
    Files.createDirectories(cfg.work);
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    try (AwsPorts ports =
            AwsPorts.builder()
                .region(cfg.region)
                .endpointOverride(cfg.awsEndpoint)
                .credentialsProvider(credentials)
                .build();
        Kubernetes admin = KubernetesPorts.fromKubeconfig(cfg.kubeconfig);
        Kubernetes shared = KubernetesPorts.fromKubeconfig(cfg.kubeconfig)) {
      this.aws = ports;
      this.meteredAws = new MeteredAws(ports, timeline);
      this.meteredKube = new MeteredKubernetes(shared, timeline);
      String account = ports.callerIdentity().get().account();
      fx = new Fixtures(cfg.awsEndpoint, cfg.region, account, cfg.issuerHost, admin);
      try {
        StringBuilder md = new StringBuilder();
        prepare();
        Results r = null;
        if (cfg.sections.contains("installs")) {
          r = installs();
          md.append(installTable(r));
        }
        if (cfg.sections.contains("noop")) {
          md.append(noOpAndCalls(credentials));
        }
        if (cfg.sections.contains("fleet")) {
          md.append(fleets());
        }
        if (r != null) {
          md.append(whereTimeGoes(r));
        }
        out.println();
        out.print(md);
        if (cfg.markdown != null) {
          Files.writeString(cfg.markdown, md.toString(), StandardCharsets.UTF_8);
        }
      } finally {
        say("cleaning up moto (%d clusters, their roles and OIDC providers)", fx.created().size());
        fx.deleteAws(fx.created());
        fx.close();
      }
    }
    if (!failures.isEmpty()) {
      log.println("bench: FAILED:");
      failures.forEach(f -> log.println("  - " + f));
      return 1;
    }
    return 0;
  }

  // ------------------------------------------------------------------------------------ setup

  /** Renders the v1-converted installer with a placeholder role, and clears the control plane. */
  private void prepare() throws IOException {
    String cluster = name("render");
    fx.createCluster(cluster);
    List<KubeObject> objects =
        OperatorSetup.forCluster(cluster)
            .inRegion(cfg.region)
            .withRole(PLACEHOLDER_ROLE)
            .withAws(aws)
            .convertCrds("always")
            .renderObjects();
    manifestV1 = cfg.work.resolve("installer-v1.yaml").toAbsolutePath();
    Files.writeString(manifestV1, Manifests.toYaml(objects), StandardCharsets.UTF_8);
    installerRefs = objects.stream().map(KubeObject::ref).toList();
    crdRefs =
        installerRefs.stream().filter(r -> r.kind().equals("CustomResourceDefinition")).toList();
    say(
        "rendered %s (%d objects, v1 CRDs, role placeholder %s)",
        manifestV1, objects.size(), PLACEHOLDER_ROLE);
    int maxFleet = cfg.fleet.stream().mapToInt(Integer::intValue).max().orElse(0);
    List<ObjectRef> leftovers = new ArrayList<>(installerRefs);
    for (int i = 1; i <= maxFleet; i++) {
      leftovers.add(namespace("fleet-" + i));
    }
    fx.wipe(leftovers);
  }

  private String name(String what) {
    return prefix + "-" + what + "-" + (++serial);
  }

  private static ObjectRef namespace(String name) {
    return ObjectRef.of("v1", "Namespace", null, name);
  }

  private void wipeInstaller() {
    long start = System.nanoTime();
    fx.wipe(installerRefs);
    wipes.add(millisSince(start));
  }

  // --------------------------------------------------------------------------------- installs

  /** The measured installs and what was learned about where their time goes. */
  static final class Results {
    final Samples seed = new Samples();
    final Samples warm = new Samples();
    final Samples fresh = new Samples();
    final Samples cold = new Samples();
    final Samples coldEngine = new Samples();
    final Samples cds = new Samples();
    final Phases seedPhases = new Phases();
    final Phases warmPhases = new Phases();
    final Phases coldPhases = new Phases();
    double coldPhasesTotal;
    long classesLoaded;
    long classesShared;
    final Map<String, double[]> classFamilies = new LinkedHashMap<>();
  }

  /** Durations per named phase over several runs; medians are reported. */
  static final class Phases {
    final Map<String, List<Double>> byPhase = new LinkedHashMap<>();

    void add(String phase, double millis) {
      byPhase.computeIfAbsent(phase, k -> new ArrayList<>()).add(millis);
    }
  }

  private Results installs() throws Exception {
    Results r = new Results();
    for (int i = 1; i <= cfg.warmups; i++) {
      double ms = warmInstall(null);
      say("warm-up %d/%d in one JVM: %s", i, cfg.warmups, fmt(ms));
    }
    Path cds = cfg.cdsRuns > 0 ? trainCds() : null;
    // Interleaved rounds, so that a change in the machine's load (other builds share it) touches
    // every method alike.
    int rounds =
        Math.max(
            Math.max(cfg.seedRuns, cfg.warmRuns),
            Math.max(cfg.freshRuns, Math.max(cfg.coldRuns, cfg.cdsRuns)));
    for (int round = 1; round <= rounds; round++) {
      if (round <= cfg.seedRuns) {
        r.seed.add(seedInstall(r.seedPhases));
        say("round %d: seed procedure %s", round, fmt(last(r.seed)));
      }
      if (round <= cfg.warmRuns) {
        r.warm.add(warmInstall(r.warmPhases));
        say("round %d: in one JVM, warm %s", round, fmt(last(r.warm)));
      }
      if (round <= cfg.freshRuns) {
        r.fresh.add(freshClientsInstall());
        say("round %d: in one JVM, new clients %s", round, fmt(last(r.fresh)));
      }
      if (round <= cfg.coldRuns) {
        double[] t = coldInstall(null);
        r.cold.add(t[0]);
        r.coldEngine.add(t[1]);
        say("round %d: cold command %s (engine %s)", round, fmt(t[0]), fmt(t[1]));
      }
      if (round <= cfg.cdsRuns) {
        double[] t = coldInstall("-XX:SharedArchiveFile=" + cds);
        r.cds.add(t[0]);
        say("round %d: cold command with AppCDS %s (engine %s)", round, fmt(t[0]), fmt(t[1]));
      }
    }
    coldProfile(r);
    say(
        "cold profile run: %d classes loaded, %d of them from the JDK's CDS archive",
        r.classesLoaded, r.classesShared);
    return r;
  }

  private static double last(Samples s) {
    return s.values().get(s.count() - 1);
  }

  /** The seed's procedure: bench/seed-procedure.sh, one aws or kubectl process per step. */
  private double seedInstall(Phases phases) throws Exception {
    String id = name("seed");
    fx.createCluster(id);
    Path dir = cfg.work.resolve(id);
    Files.createDirectories(dir);
    Path timings = dir.resolve("timings");
    ProcessBuilder pb =
        new ProcessBuilder(
                "bash", cfg.seedScript.toString(), id, id, NAMESPACE, manifestV1.toString())
            .redirectOutput(dir.resolve("stdout").toFile())
            .redirectError(dir.resolve("stderr").toFile());
    pb.environment().put("ENDPOINT_URL", cfg.awsEndpoint.toString());
    pb.environment().put("KUBECONFIG_FILE", cfg.kubeconfig.toAbsolutePath().toString());
    pb.environment().put("AWS_REGION", cfg.region);
    pb.environment().put("WORK_DIR", dir.toAbsolutePath().toString());
    pb.environment().put("SEED_TIMINGS", timings.toAbsolutePath().toString());
    pb.environment().put("PLACEHOLDER_ROLE", PLACEHOLDER_ROLE);
    long startEpochMicros = epochMicros();
    long start = System.nanoTime();
    int exit = pb.start().waitFor();
    double ms = millisSince(start);
    if (exit != 0) {
      throw new IllegalStateException(
          "the seed procedure failed (exit " + exit + "); see " + dir.resolve("stderr"));
    }
    if (phases != null) {
      seedPhases(timings, startEpochMicros, ms, phases);
    }
    wipeInstaller();
    return ms;
  }

  private static long epochMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }

  private static void seedPhases(Path timings, long startMicros, double totalMs, Phases phases)
      throws IOException {
    List<String> lines = Files.readAllLines(timings);
    long prev = startMicros;
    String step = "bash starts";
    for (String line : lines) {
      int space = line.indexOf(' ');
      long at = Math.round(Double.parseDouble(line.substring(0, space)) * 1e6);
      phases.add(step, (at - prev) / 1000.0);
      prev = at;
      step = line.substring(space + 1);
    }
    phases.add("bash exits", totalMs - (prev - startMicros) / 1000.0);
  }

  /**
   * operator-setup in this (warm) JVM, with the AWS and Kubernetes clients shared across installs,
   * as an application that embeds the library holds them.
   */
  private double warmInstall(Phases phases) {
    String id = name("warm");
    fx.createCluster(id);
    timeline.reset();
    List<ProgressEvent> events = new ArrayList<>();
    long start = System.nanoTime();
    InstallReport report =
        OperatorSetup.forCluster(id)
            .inRegion(cfg.region)
            .withRole(id)
            .withAws(meteredAws)
            .withKubernetes(meteredKube)
            .withTimeout(TIMEOUT)
            .withListener(events::add)
            .install();
    double ms = millisSince(start);
    expectChanged(report, id);
    if (phases != null) {
      warmPhases(events, ms, phases);
    }
    wipeInstaller();
    return ms;
  }

  private void warmPhases(List<ProgressEvent> events, double totalMs, Phases phases) {
    timeline.byLabel().forEach((label, u) -> phases.add(label + " ×" + u.calls(), u.millis()));
    double inCalls = timeline.totalMillis();
    double inMemory = 0;
    for (String step : List.of("manifest", "render")) {
      double ms = stepMillis(events, step);
      phases.add("engine: " + step + " (in memory)", ms);
      inMemory += ms;
    }
    phases.add("engine: the rest (plan, diff, reports, threads)", totalMs - inCalls - inMemory);
  }

  private static double stepMillis(List<ProgressEvent> events, String step) {
    Duration started = null;
    for (ProgressEvent e : events) {
      if (!e.step().equals(step)) {
        continue;
      }
      if (e.type() == ProgressEvent.Type.STEP_STARTED) {
        started = e.elapsed();
      } else if (e.type() == ProgressEvent.Type.STEP_FINISHED && started != null) {
        return e.elapsed().minus(started).toNanos() / 1e6;
      }
    }
    return 0;
  }

  /**
   * operator-setup in this (warm) JVM as the README's example calls it: the library creates its own
   * AWS clients and Kubernetes client for each install (withAwsEndpoint, withKubeconfig).
   */
  private double freshClientsInstall() {
    String id = name("fresh");
    fx.createCluster(id);
    long start = System.nanoTime();
    InstallReport report =
        OperatorSetup.forCluster(id)
            .inRegion(cfg.region)
            .withRole(id)
            .withAwsEndpoint(cfg.awsEndpoint)
            .withKubeconfig(cfg.kubeconfig)
            .withTimeout(TIMEOUT)
            .install();
    double ms = millisSince(start);
    expectChanged(report, id);
    wipeInstaller();
    return ms;
  }

  /** The JVM options bin/operator-setup uses unless OPERATOR_SETUP_JAVA_OPTS says otherwise. */
  static final String COMMAND_JAVA_OPTS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto";

  /**
   * bin/operator-setup install in a new JVM, with extra JVM options if given; returns the wall
   * time, the engine's own time, and the directory with its stdout and stderr.
   */
  private Object[] runCommand(String tag, String extraJavaOpts, String output) throws Exception {
    String id = name(tag);
    fx.createCluster(id);
    Path dir = cfg.work.resolve(id);
    Files.createDirectories(dir);
    ProcessBuilder pb =
        new ProcessBuilder(
                cfg.command.toString(),
                "install",
                "--cluster",
                id,
                "--region",
                cfg.region,
                "--role",
                id,
                "--aws-endpoint",
                cfg.awsEndpoint.toString(),
                "--kubeconfig",
                cfg.kubeconfig.toString(),
                "--timeout",
                "5m",
                "--output",
                output)
            .redirectOutput(dir.resolve("stdout").toFile())
            .redirectError(dir.resolve("stderr").toFile());
    if (extraJavaOpts != null) {
      pb.environment().put("OPERATOR_SETUP_JAVA_OPTS", COMMAND_JAVA_OPTS + " " + extraJavaOpts);
    }
    long start = System.nanoTime();
    int exit = pb.start().waitFor();
    double ms = millisSince(start);
    if (exit != 0) {
      throw new IllegalStateException(
          "bin/operator-setup install failed (exit " + exit + "); see " + dir.resolve("stderr"));
    }
    double engine = Double.NaN;
    if (output.equals("json")) {
      engine = JSON.readTree(dir.resolve("stdout").toFile()).path("durationMillis").asDouble();
    }
    wipeInstaller();
    return new Object[] {ms, engine, dir};
  }

  /** bin/operator-setup install in a new JVM; returns the wall time and the engine's own time. */
  private double[] coldInstall(String extraJavaOpts) throws Exception {
    Object[] r = runCommand("cold", extraJavaOpts, "json");
    return new double[] {(double) r[0], (double) r[1]};
  }

  /**
   * One more cold run, not measured: its progress lines (text output) say when each step started,
   * and {@code -Xlog:class+load} how many classes the JVM loaded, and from where.
   */
  private void coldProfile(Results r) throws Exception {
    Path classes = cfg.work.resolve(prefix + "-classes.log").toAbsolutePath();
    Object[] run = runCommand("coldprofile", "-Xlog:class+load=info:file=" + classes, "text");
    double wall = (double) run[0];
    Path dir = (Path) run[2];
    java.util.regex.Pattern line =
        java.util.regex.Pattern.compile("^\\[\\s*(\\d+(?:\\.\\d+)?)(ms|s)\\]\\s+(.*)$");
    java.util.regex.Pattern summary =
        java.util.regex.Pattern.compile("in (\\d+(?:\\.\\d+)?)(ms|s); role ");
    List<double[]> marks = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    boolean firstK8sChange = true;
    boolean firstWait = true;
    for (String l : Files.readAllLines(dir.resolve("stderr"))) {
      java.util.regex.Matcher m = line.matcher(l);
      if (!m.matches()) {
        continue;
      }
      double at = Double.parseDouble(m.group(1)) * (m.group(2).equals("s") ? 1000 : 1);
      String text = m.group(3);
      String label = null;
      if (text.endsWith(" ...")) {
        label = "step " + text.substring(0, text.indexOf(':'));
      } else if (text.contains(" kubernetes:") && firstK8sChange) {
        label = "Kubernetes applies";
        firstK8sChange = false;
      } else if (text.startsWith("waiting for") && firstWait) {
        label = "waits (CRDs Established, rollout)";
        firstWait = false;
      }
      if (label != null) {
        marks.add(new double[] {at});
        labels.add(label);
      }
    }
    double engine = Double.NaN;
    java.util.regex.Matcher m = summary.matcher(Files.readString(dir.resolve("stdout")));
    if (m.find()) {
      engine = Double.parseDouble(m.group(1)) * (m.group(2).equals("s") ? 1000 : 1);
    }
    r.coldPhases.add("JVM start, picocli, options (before the engine's first step)", wall - engine);
    for (int i = 0; i < marks.size(); i++) {
      double next = i + 1 < marks.size() ? marks.get(i + 1)[0] : engine;
      r.coldPhases.add(labels.get(i), next - marks.get(i)[0]);
    }
    r.coldPhases.add("JVM exit", 0);
    r.coldPhasesTotal = wall;
    long loaded = 0;
    long shared = 0;
    java.util.regex.Pattern load =
        java.util.regex.Pattern.compile(
            "^\\[(\\d+\\.\\d+)s\\].*\\[class,load\\] (\\S+) source: (.*)$");
    for (String l : Files.readAllLines(classes)) {
      java.util.regex.Matcher c = load.matcher(l);
      if (!c.matches()) {
        continue;
      }
      loaded++;
      boolean cds = c.group(3).contains("shared objects file");
      if (cds) {
        shared++;
      }
      double at = Double.parseDouble(c.group(1)) * 1000;
      double[] f =
          r.classFamilies.computeIfAbsent(
              family(c.group(2)), k -> new double[] {0, 0, Double.MAX_VALUE, 0});
      f[0]++;
      f[1] += cds ? 1 : 0;
      f[2] = Math.min(f[2], at);
      f[3] = Math.max(f[3], at);
    }
    r.classesLoaded = loaded;
    r.classesShared = shared;
  }

  private static final List<String[]> FAMILIES =
      List.of(
          new String[] {"dev.operatorsetup.", "operator-setup"},
          new String[] {"picocli.", "picocli (command line)"},
          new String[] {"software.amazon.", "AWS SDK for Java v2"},
          new String[] {"io.kubernetes.", "Kubernetes Java client"},
          new String[] {"com.google.gson.", "Gson (the Kubernetes client's JSON)"},
          new String[] {"okhttp3.", "OkHttp, Okio, Kotlin stdlib"},
          new String[] {"okio.", "OkHttp, Okio, Kotlin stdlib"},
          new String[] {"kotlin.", "OkHttp, Okio, Kotlin stdlib"},
          new String[] {"com.fasterxml.jackson.", "Jackson"},
          new String[] {"org.yaml.snakeyaml.", "SnakeYAML"},
          new String[] {"org.bouncycastle.", "Bouncy Castle"},
          new String[] {"org.slf4j.", "SLF4J"},
          new String[] {"org.immutables.", "operator-setup"},
          new String[] {"java.", "JDK"},
          new String[] {"javax.", "JDK"},
          new String[] {"jdk.", "JDK"},
          new String[] {"sun.", "JDK"},
          new String[] {"com.sun.", "JDK"});

  private static String family(String className) {
    for (String[] f : FAMILIES) {
      if (className.startsWith(f[0])) {
        return f[1];
      }
    }
    return "other";
  }

  /** Makes an AppCDS archive of the classes a cold install loads (one training run). */
  private Path trainCds() throws Exception {
    Path archive = cfg.work.resolve(prefix + "-operator-setup.jsa").toAbsolutePath();
    runCommand("cdstrain", "-XX:ArchiveClassesAtExit=" + archive, "json");
    if (!Files.isRegularFile(archive)) {
      throw new IllegalStateException("the JVM wrote no AppCDS archive to " + archive);
    }
    return archive;
  }

  private void expectChanged(InstallReport report, String id) {
    if (!report.changed()) {
      throw new IllegalStateException("install " + id + " changed nothing: not a fresh install");
    }
  }

  private String installTable(Results r) {
    double seed = r.seed.median();
    StringBuilder b = new StringBuilder();
    b.append("### Install: the seed's shell procedure vs operator-setup\n\n");
    b.append(
        "Each install starts clean: a new EKS cluster in moto with its own OIDC issuer, a new role,"
            + " no installer object on the control plane (cleanup between runs took a median of "
            + fmt(wipes.median())
            + ", outside the timings). The rounds interleave the methods.\n\n");
    b.append("| method | runs | median | min | max | speed-up vs shell | target | met |\n");
    b.append("|---|---:|---:|---:|---:|---:|---|---|\n");
    row(
        b,
        "seed procedure: `bench/seed-procedure.sh` (6 aws + 3 kubectl processes, client-side apply)",
        r.seed.count() + "",
        r.seed,
        1.0,
        "",
        "");
    double warmRatio = seed / r.warm.median();
    row(
        b,
        "operator-setup in one JVM, warm, clients shared across installs",
        r.warm.count() + " (+" + cfg.warmups + " warm-up)",
        r.warm,
        warmRatio,
        "≥ 10×",
        warmRatio >= 10 ? "yes" : "**no**");
    row(
        b,
        "operator-setup in one JVM, warm, new clients per install (`withAwsEndpoint`, `withKubeconfig`)",
        r.fresh.count() + "",
        r.fresh,
        seed / r.fresh.median(),
        "",
        "");
    double coldRatio = seed / r.cold.median();
    row(
        b,
        "`bin/operator-setup install` (cold JVM: `java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar"
            + " examples/target/operator-setup.jar`)",
        r.cold.count() + "",
        r.cold,
        coldRatio,
        "≥ 3×",
        coldRatio >= 3 ? "yes" : "**no**");
    if (r.cds.count() > 0) {
      row(
          b,
          "`bin/operator-setup install`, cold JVM with an AppCDS archive (not the default:"
              + " `OPERATOR_SETUP_JAVA_OPTS=\"... -XX:SharedArchiveFile=operator-setup.jsa\"`, the"
              + " archive made by one training run with `-XX:ArchiveClassesAtExit`)",
          r.cds.count() + "",
          r.cds,
          seed / r.cds.median(),
          "",
          "");
    }
    b.append("\n");
    b.append(
        String.format(
            Locale.ROOT,
            "In the cold runs the engine itself (the report's durationMillis) took a median of %s;"
                + " the other %s is the JVM: starting, loading the command's classes up to the"
                + " engine's first step, and exiting.\n\n",
            fmt(r.coldEngine.median()),
            fmt(r.cold.median() - r.coldEngine.median())));
    return b.toString();
  }

  private static void row(
      StringBuilder b,
      String what,
      String runs,
      Samples s,
      double ratio,
      String target,
      String met) {
    b.append("| ")
        .append(what)
        .append(" | ")
        .append(runs)
        .append(" | ")
        .append(fmt(s.median()))
        .append(" | ")
        .append(fmt(s.min()))
        .append(" | ")
        .append(fmt(s.max()))
        .append(" | ")
        .append(String.format(Locale.ROOT, "%.1f×", ratio))
        .append(" | ")
        .append(target)
        .append(" | ")
        .append(met)
        .append(" |\n");
  }

  // --------------------------------------------------------------------- no-op and call counts

  private String noOpAndCalls(StaticCredentialsProvider credentials) throws IOException {
    AwsCallLog awsLog = new AwsCallLog();
    ApiRequestLog httpLog = new ApiRequestLog();
    ApiClient client;
    try (Reader reader = Files.newBufferedReader(cfg.kubeconfig)) {
      KubeConfig kc = KubeConfig.loadKubeConfig(reader);
      kc.setFile(cfg.kubeconfig.toAbsolutePath().toFile());
      client = ClientBuilder.kubeconfig(kc).build();
    }
    client.setHttpClient(client.getHttpClient().newBuilder().addInterceptor(httpLog).build());
    String id = name("count");
    fx.createCluster(id);
    StringBuilder b = new StringBuilder();
    try (AwsPorts counted =
            AwsPorts.builder()
                .region(cfg.region)
                .endpointOverride(cfg.awsEndpoint)
                .credentialsProvider(credentials)
                .callListener(awsLog)
                .build();
        Kubernetes k8s = KubernetesPorts.fromApiClient(client)) {
      MeteredKubernetes kube = new MeteredKubernetes(k8s, new Timeline());
      // A fresh install, counted.
      InstallReport first = countedInstall(id, counted, kube);
      expectChanged(first, id);
      Map<AwsCallLog.Op, Long> freshAws = awsLog.snapshot();
      Map<String, MeteredKubernetes.Usage> freshKube = kube.usage();
      Map<String, Long> freshHttp = httpLog.snapshot();
      say("counted a fresh install: AWS %s, Kubernetes port %s", freshAws, freshKube.keySet());
      // The same install again: nothing to change.
      Samples noop = new Samples();
      Map<AwsCallLog.Op, Long> noopAws = null;
      Map<String, MeteredKubernetes.Usage> noopKube = null;
      Map<String, Long> noopHttp = null;
      long awsWrites = 0;
      long kubeWrites = 0;
      long httpWrites = 0;
      for (int i = 1; i <= cfg.noopRuns; i++) {
        awsLog.reset();
        kube.reset();
        httpLog.reset();
        long start = System.nanoTime();
        InstallReport again = countedInstall(id, counted, kube);
        noop.add(millisSince(start));
        awsWrites += awsLog.writes();
        kubeWrites += kube.writes();
        httpWrites += httpLog.writes();
        if (again.changed()) {
          failures.add("no-op re-run " + i + " reported changes: " + again.changes());
        }
        if (noopAws == null) {
          noopAws = awsLog.snapshot();
          noopKube = kube.usage();
          noopHttp = httpLog.snapshot();
        }
        say("no-op re-run %d: %s, AWS %s", i, fmt(last(noop)), awsLog.byService().keySet());
      }
      if (awsWrites + kubeWrites + httpWrites != 0) {
        failures.add(
            "no-op re-runs wrote: AWS "
                + awsWrites
                + ", Kubernetes port "
                + kubeWrites
                + ", HTTP "
                + httpWrites
                + " (must be 0)");
      }
      b.append(noOpTable(noop, noopAws, noopKube, noopHttp, awsWrites, kubeWrites, httpWrites));
      b.append(callsTable(freshAws, freshKube, freshHttp));
    }
    wipeInstaller();
    return b.toString();
  }

  private InstallReport countedInstall(String id, AwsPorts counted, Kubernetes kube) {
    return OperatorSetup.forCluster(id)
        .inRegion(cfg.region)
        .withRole(id)
        .withAws(counted)
        .withKubernetes(kube)
        .withTimeout(TIMEOUT)
        .install();
  }

  private String noOpTable(
      Samples noop,
      Map<AwsCallLog.Op, Long> aws,
      Map<String, MeteredKubernetes.Usage> kube,
      Map<String, Long> http,
      long awsWrites,
      long kubeWrites,
      long httpWrites) {
    StringBuilder b = new StringBuilder();
    b.append("### No-op re-run (install again right after an install, in one JVM)\n\n");
    b.append("| | value |\n|---|---|\n");
    b.append(
        String.format(
            Locale.ROOT,
            "| wall time, median of %d (min–max) | %s (%s–%s) |%n",
            noop.count(),
            fmt(noop.median()),
            fmt(noop.min()),
            fmt(noop.max())));
    Map<String, long[]> perService = new java.util.TreeMap<>();
    aws.forEach(
        (op, n) ->
            perService.computeIfAbsent(op.service(), k -> new long[2])[op.write() ? 1 : 0] += n);
    perService.forEach(
        (svc, rw) ->
            b.append(
                String.format(
                    Locale.ROOT,
                    "| AWS %s: reads / writes | %d / %d (%s) |%n",
                    svc,
                    rw[0],
                    rw[1],
                    ops(aws, svc))));
    long kr =
        kube.entrySet().stream()
            .filter(e -> !MeteredKubernetes.WRITES.contains(e.getKey()))
            .mapToLong(e -> e.getValue().calls())
            .sum();
    long kw =
        kube.entrySet().stream()
            .filter(e -> MeteredKubernetes.WRITES.contains(e.getKey()))
            .mapToLong(e -> e.getValue().calls())
            .sum();
    b.append(
        String.format(
            Locale.ROOT,
            "| Kubernetes port: reads / writes | %d / %d (%s) |%n",
            kr,
            kw,
            kubeCalls(kube)));
    b.append(
        String.format(
            Locale.ROOT, "| Kubernetes HTTP requests to the API server | %s |%n", httpCalls(http)));
    b.append(
        String.format(
            Locale.ROOT,
            "| writes over all %d re-runs (must be 0) | AWS %d, Kubernetes port %d, HTTP %d → %s |%n%n",
            noop.count(),
            awsWrites,
            kubeWrites,
            httpWrites,
            awsWrites + kubeWrites + httpWrites == 0 ? "**0: ok**" : "**NOT 0: FAILED**"));
    return b.toString();
  }

  private static String ops(Map<AwsCallLog.Op, Long> calls, String service) {
    StringBuilder b = new StringBuilder();
    calls.forEach(
        (op, n) -> {
          if (op.service().equals(service)) {
            b.append(b.length() == 0 ? "" : ", ").append(op.operation()).append(" ").append(n);
          }
        });
    return b.toString();
  }

  private static String kubeCalls(Map<String, MeteredKubernetes.Usage> kube) {
    StringBuilder b = new StringBuilder();
    kube.forEach(
        (m, u) -> b.append(b.length() == 0 ? "" : ", ").append(m).append(" ").append(u.calls()));
    return b.toString();
  }

  private static String httpCalls(Map<String, Long> http) {
    StringBuilder b = new StringBuilder();
    http.forEach((m, n) -> b.append(b.length() == 0 ? "" : ", ").append(m).append(" ").append(n));
    return b.length() == 0 ? "none" : b.toString();
  }

  /** The minimum calls the job needs, per operation, and why operator-setup makes more. */
  private static final Map<String, String[]> MINIMUM = minimum();

  private static Map<String, String[]> minimum() {
    Map<String, String[]> m = new LinkedHashMap<>();
    m.put(
        "sts GetCallerIdentity", new String[] {"1", "the account (it is also in the cluster ARN)"});
    m.put("eks DescribeCluster", new String[] {"1", "the issuer"});
    m.put(
        "iam GetPolicy",
        new String[] {
          "0",
          "checks the policy exists and is attachable before any write, so a bad --policy-arn changes nothing"
        });
    m.put("iam GetOpenIDConnectProvider", new String[] {"1", "is the provider there?"});
    m.put("iam CreateOpenIDConnectProvider", new String[] {"1", ""});
    m.put(
        "iam GetRole",
        new String[] {
          "1",
          "read before the role step (not found), then once more by the SDK's waiter right after CreateRole: IAM is eventually consistent, and the next call (AttachRolePolicy) needs the role"
        });
    m.put("iam CreateRole", new String[] {"1", ""});
    m.put(
        "iam ListAttachedRolePolicies",
        new String[] {"0", "part of reading an existing role: which policies are attached"});
    m.put(
        "iam ListRolePolicies",
        new String[] {"0", "part of reading an existing role: inline policies"});
    m.put(
        "iam ListRoleTags",
        new String[] {
          "0",
          "part of reading an existing role: the ownership tag (operator-setup only changes or deletes what it created)"
        });
    m.put(
        "iam ListOpenIDConnectProviderTags",
        new String[] {"0", "part of reading a provider: the ownership tag"});
    m.put("iam AttachRolePolicy", new String[] {"1", ""});
    m.put("k8s apply", new String[] {"18", "one server-side apply per object"});
    m.put(
        "k8s get",
        new String[] {
          "0",
          "one read per object before applying it: the change report (create/update/unchanged), ownership, and no write when nothing changed"
        });
    m.put(
        "k8s serverInfo",
        new String[] {
          "0",
          "discovery: does the server still serve apiextensions.k8s.io/v1beta1? (CRD conversion)"
        });
    m.put(
        "k8s awaitCrdEstablished",
        new String[] {"8", "one wait per CRD (kubectl wait does the same)"});
    m.put("k8s awaitRollout", new String[] {"1", "one wait for the Deployment"});
    return m;
  }

  private String callsTable(
      Map<AwsCallLog.Op, Long> aws,
      Map<String, MeteredKubernetes.Usage> kube,
      Map<String, Long> http) {
    Map<String, Long> made = new LinkedHashMap<>();
    aws.forEach((op, n) -> made.put(op.service() + " " + op.operation(), n));
    kube.forEach((m, u) -> made.put("k8s " + m, u.calls()));
    StringBuilder b = new StringBuilder();
    b.append("### API calls of one fresh install vs the minimum the job needs\n\n");
    b.append("| call | made | minimum | why the difference |\n|---|---:|---:|---|\n");
    long madeTotal = 0;
    long minTotal = 0;
    List<String> keys = new ArrayList<>(MINIMUM.keySet());
    for (String k : made.keySet()) {
      if (!keys.contains(k)) {
        keys.add(k);
      }
    }
    for (String k : keys) {
      long n = made.getOrDefault(k, 0L);
      String[] min = MINIMUM.getOrDefault(k, new String[] {"0", "(not expected)"});
      long want = Long.parseLong(min[0]);
      if (n == 0 && want == 0) {
        continue;
      }
      madeTotal += n;
      minTotal += want;
      b.append("| ")
          .append(k)
          .append(" | ")
          .append(n)
          .append(" | ")
          .append(want)
          .append(" | ")
          .append(n == want ? "" : min[1])
          .append(" |\n");
    }
    b.append(
        String.format(Locale.ROOT, "| **total** | **%d** | **%d** | |%n", madeTotal, minTotal));
    b.append(
        "\nAWS calls are counted by the `AwsPorts` call listener, Kubernetes calls at the port"
            + " (a `ForwardingKubernetes`; a wait is one call however often it polls). Underneath,"
            + " the Kubernetes client sent these HTTP requests: "
            + httpCalls(http)
            + " (the waits poll with GET; discovery of each group version once per client).\n\n");
    return b.toString();
  }

  // ----------------------------------------------------------------------------------- fleet

  private String fleets() throws Exception {
    StringBuilder b = new StringBuilder();
    b.append("### Fleet: concurrent installs from one JVM\n\n");
    b.append(
        "N EKS clusters in moto, each with its own issuer and role; on the Kubernetes side one"
            + " namespaced install per cluster (`Manifests.bundled(Variant.NAMESPACED)`,"
            + " `withNamespace(\"fleet-<i>\")`), all on the one control plane. The 8 CRDs of the"
            + " namespaced installer are cluster-scoped and shared by all N installs. A thread pool"
            + " of N; the AWS ports are shared, each install opens its own Kubernetes client"
            + " (`withKubeconfig`), as it would for N real clusters. One namespaced install before"
            + " the first size, not measured, warms the JVM up. Peak heap is the sum of the"
            + " heap pools' peaks after resetting them (an upper bound: the pools peak at different"
            + " moments).\n\n");
    b.append(
        "| clusters | total wall time | vs 1 cluster | install time, median / max | peak heap | heap in use before | -Xmx |\n");
    b.append("|---:|---:|---:|---:|---:|---:|---:|\n");
    double one = Double.NaN;
    double fifty = Double.NaN;
    StringBuilder cpu = new StringBuilder();
    fleetWarmUp();
    for (int n : cfg.fleet) {
      double[] r = fleet(n, cpu);
      if (n == 1) {
        one = r[0];
      }
      if (n == 50) {
        fifty = r[0];
      }
      b.append(
          String.format(
              Locale.ROOT,
              "| %d | %s | %s | %s / %s | %s | %s | %s |%n",
              n,
              fmt(r[0]),
              Double.isNaN(one) ? "" : String.format(Locale.ROOT, "%.2f×", r[0] / one),
              fmt(r[1]),
              fmt(r[2]),
              mib(r[3]),
              mib(r[4]),
              mib(Runtime.getRuntime().maxMemory())));
    }
    if (!Double.isNaN(one) && !Double.isNaN(fifty)) {
      b.append(
          String.format(
              Locale.ROOT,
              "%nTarget: 50 clusters in at most 3× the time of one: %.2f× → %s.%n%n",
              fifty / one,
              fifty / one <= 3 ? "met" : "**missed**"));
    } else {
      b.append("\n");
    }
    if (cpu.length() > 0) {
      b.append(
          "CPU seconds used during each fleet run (from /proc), against what the machine had"
              + " (nproc × wall time); \"machine\" includes other work on it:\n\n");
      b.append(cpu);
      int cores = Runtime.getRuntime().availableProcessors();
      int largest = cfg.fleet.get(cfg.fleet.size() - 1);
      b.append(
          String.format(
              Locale.ROOT,
              "%nFor %d clusters the control plane, moto and this JVM together needed %.1f CPU"
                  + " seconds: on %d cores at least %s of wall time, %.1f× the fleet of 1, even"
                  + " with nothing else running.%n%n",
              largest,
              lastFleetCpu,
              cores,
              fmt(lastFleetCpu / cores * 1000),
              lastFleetCpu / cores * 1000 / one));
    }
    return b.toString();
  }

  /** One namespaced install, not measured, so the fleet of 1 does not pay for a cold JVM. */
  private void fleetWarmUp() {
    String id = prefix + "-fwarm";
    fx.createCluster(id);
    try {
      OperatorSetup.forCluster(id)
          .inRegion(cfg.region)
          .withRole(id)
          .withAws(aws)
          .withKubeconfig(cfg.kubeconfig)
          .withManifest(Manifests.bundled(Manifests.Variant.NAMESPACED))
          .withNamespace("fleet-1")
          .withTimeout(TIMEOUT)
          .install();
    } finally {
      List<ObjectRef> refs = new ArrayList<>(crdRefs);
      refs.add(namespace("fleet-1"));
      fx.wipe(refs);
      fx.deleteAws(List.of(id));
    }
  }

  /**
   * Installs n clusters at once; returns wall ms, median and max install ms, peak and base heap.
   */
  private double[] fleet(int n, StringBuilder cpuTable) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      String id = prefix + "-f" + n + "-" + i;
      fx.createCluster(id);
      ids.add(id);
    }
    List<MemoryPoolMXBean> heap =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .toList();
    System.gc();
    long before = heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<InstallReport>> futures = new ArrayList<>();
    double wall;
    try {
      for (int i = 1; i <= n; i++) {
        String id = ids.get(i - 1);
        String ns = "fleet-" + i;
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return OperatorSetup.forCluster(id)
                      .inRegion(cfg.region)
                      .withRole(id)
                      .withAws(aws)
                      .withKubeconfig(cfg.kubeconfig)
                      .withManifest(Manifests.bundled(Manifests.Variant.NAMESPACED))
                      .withNamespace(ns)
                      .withTimeout(TIMEOUT)
                      .install();
                }));
      }
      CpuMeter meter = new CpuMeter(cfg.planePids, cfg.motoPid);
      Map<String, Double> cpuBefore = meter.sample();
      long start = System.nanoTime();
      go.countDown();
      Samples each = new Samples();
      List<String> failed = new ArrayList<>();
      for (Future<InstallReport> f : futures) {
        try {
          InstallReport report = f.get();
          each.add(report.durationMillis());
        } catch (java.util.concurrent.ExecutionException e) {
          failed.add(String.valueOf(e.getCause()));
        }
      }
      wall = millisSince(start);
      Map<String, Double> cpu = CpuMeter.used(cpuBefore, meter.sample());
      if (cpuTable.length() == 0) {
        cpuTable.append("| clusters | wall time | available (nproc × wall) |");
        cpu.keySet().forEach(k -> cpuTable.append(" ").append(k).append(" |"));
        cpuTable.append("\n|---:|---:|---:|");
        cpu.keySet().forEach(k -> cpuTable.append("---:|"));
        cpuTable.append("\n");
      }
      cpuTable.append(
          String.format(
              Locale.ROOT,
              "| %d | %.2f s | %.2f s |",
              n,
              wall / 1000,
              wall / 1000 * Runtime.getRuntime().availableProcessors()));
      cpu.values().forEach(v -> cpuTable.append(String.format(Locale.ROOT, " %.2f s |", v)));
      cpuTable.append("\n");
      double ours =
          cpu.entrySet().stream()
              .filter(e -> !e.getKey().equals("machine") && !Double.isNaN(e.getValue()))
              .mapToDouble(Map.Entry::getValue)
              .sum();
      lastFleetCpu = ours;
      long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
      if (!failed.isEmpty()) {
        failures.add("fleet of " + n + ": " + failed.size() + " installs failed: " + failed.get(0));
      }
      say(
          "fleet of %d: %s (median install %s, max %s), peak heap %s",
          n, fmt(wall), fmt(each.median()), fmt(each.max()), mib(peak));
      return new double[] {wall, each.median(), each.max(), peak, before};
    } finally {
      pool.shutdownNow();
      List<ObjectRef> refs = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        refs.add(namespace("fleet-" + i));
      }
      refs.addAll(0, crdRefs);
      fx.wipe(refs);
      fx.deleteAws(ids);
    }
  }

  // ------------------------------------------------------------------------- where time goes

  private String whereTimeGoes(Results r) {
    StringBuilder b = new StringBuilder();
    b.append("### Where the time goes (medians over the measured runs)\n\n");
    b.append("Seed procedure, per step (from the step marks of `bench/seed-procedure.sh`):\n\n");
    phaseTable(b, r.seedPhases, r.seed.median());
    b.append(
        "\noperator-setup in one JVM, warm: the wall time during which calls of each kind were in"
            + " flight (calls made at the same time count once; from a `ForwardingKubernetes` and"
            + " proxies around the AWS ports), and the engine's own time:\n\n");
    phaseTable(b, r.warmPhases, r.warm.median());
    if (!r.coldPhases.byPhase.isEmpty()) {
      b.append(
          String.format(
              Locale.ROOT,
              "%n`bin/operator-setup install` in a cold JVM, one extra run (not in the medians above)"
                  + " with text output, from its progress lines (0.1 s resolution above 1 s) and"
                  + " `-Xlog:class+load`: it loaded %d classes, %d of them from the JDK's CDS"
                  + " archive:%n%n",
              r.classesLoaded,
              r.classesShared));
      phaseTable(b, r.coldPhases, r.coldPhasesTotal);
      b.append(
          "\nThe classes it loaded, by library, and when (JVM uptime) the first and the last of"
              + " them were loaded:\n\n| library | classes | from the JDK's CDS archive | first"
              + " | last |\n|---|---:|---:|---:|---:|\n");
      r.classFamilies.entrySet().stream()
          .sorted((x, y) -> Double.compare(y.getValue()[0], x.getValue()[0]))
          .forEach(
              e ->
                  b.append(
                      String.format(
                          Locale.ROOT,
                          "| %s | %.0f | %.0f | %s | %s |%n",
                          e.getKey(),
                          e.getValue()[0],
                          e.getValue()[1],
                          fmt(e.getValue()[2]),
                          fmt(e.getValue()[3]))));
    }
    b.append("\n");
    return b.toString();
  }

  private static void phaseTable(StringBuilder b, Phases phases, double total) {
    b.append("| step | median | share |\n|---|---:|---:|\n");
    for (Map.Entry<String, List<Double>> e : phases.byPhase.entrySet()) {
      double m = Samples.median(e.getValue());
      b.append(
          String.format(
              Locale.ROOT, "| %s | %s | %.0f%% |%n", e.getKey(), fmt(m), 100 * m / total));
    }
    b.append(String.format(Locale.ROOT, "| **total (the median run)** | **%s** | |%n", fmt(total)));
  }

  // -------------------------------------------------------------------------------- plumbing

  private static double millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  static String fmt(double ms) {
    if (Double.isNaN(ms)) {
      return "–";
    }
    if (Math.abs(ms) < 1000) {
      return String.format(Locale.ROOT, "%.0f ms", ms);
    }
    return String.format(Locale.ROOT, "%.2f s", ms / 1000);
  }

  private static String mib(double bytes) {
    return String.format(Locale.ROOT, "%.0f MiB", bytes / (1024 * 1024));
  }

  private void say(String format, Object... args) {
    log.println("[bench] " + String.format(Locale.ROOT, format, args));
  }
}
