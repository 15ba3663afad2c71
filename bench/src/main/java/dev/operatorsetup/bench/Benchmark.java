package dev.operatorsetup.bench;

import dev.operatorsetup.aws.AwsPorts;
import dev.operatorsetup.kubernetes.KubernetesPorts;
import dev.operatorsetup.port.Kubernetes;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The benchmark {@code bench/run} runs on moto_server and the local control plane. It prints
 * Markdown tables: the seed's shell procedure vs operator-setup in one JVM vs the command in a cold
 * JVM; a no-op re-run with its reads and writes; the API calls of one install against the minimum;
 * a fleet of concurrent installs; the ACK docs' procedure vs operator-setup for the ACK controller,
 * and the cost of rendering its chart. It exits 1 if an install fails or a no-op re-run writes
 * anything.
 *
 * <p>Every measured install starts from the same clean state: a new EKS cluster in moto (with its
 * own OIDC issuer, so every method creates the OIDC provider), a new role name, and no installer
 * object on the control plane. Setting up and cleaning up are outside the timed regions.
 *
 * <p>The sections ({@code --sections}, default all): {@code installs} ({@link Installs}: {@link
 * SeedProcedure}, {@link InJvmInstalls}, {@link ColdCommand}, {@link AppCdsExperiment}, {@link
 * ColdProfile}; tables by {@link InstallTables}), {@code noop} ({@link NoOpRerun}, {@link
 * NoOpTable}, {@link ApiCallsVsMinimum}), {@code fleet} ({@link Fleet}, {@link FleetTables}) and
 * {@code ack} (the ACK SageMaker controller: {@link AckInstalls}, {@link AckProcedure}, {@link
 * RenderCost}, {@link RenderProbe}; tables by {@link AckTables}). The installs' "where the time
 * goes" comes after the fleet; the ack section, with its own, last.
 */
public final class Benchmark {
  private final Config cfg;
  private final PrintStream out;
  private final PrintStream log;

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
    Files.createDirectories(cfg.work());
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    BenchContext ctx;
    try (AwsPorts ports =
            AwsPorts.builder()
                .region(cfg.region())
                .endpointOverride(cfg.awsEndpoint())
                .credentialsProvider(credentials)
                .build();
        Kubernetes admin = KubernetesPorts.fromKubeconfig(cfg.kubeconfig());
        Kubernetes shared = KubernetesPorts.fromKubeconfig(cfg.kubeconfig())) {
      String account = ports.callerIdentity().get().account();
      Fixtures fx = new Fixtures(cfg.awsEndpoint(), cfg.region(), account, cfg.issuerHost(), admin);
      ctx = new BenchContext(cfg, fx, ports, log);
      try {
        String md = sections(ctx, shared, credentials);
        out.println();
        out.print(md);
        if (cfg.markdown() != null) {
          Files.writeString(cfg.markdown(), md, StandardCharsets.UTF_8);
        }
      } finally {
        ctx.say(
            "cleaning up moto (%d clusters, their roles and OIDC providers)", fx.created().size());
        fx.deleteAws(fx.created());
        fx.close();
      }
    }
    if (!ctx.failures().isEmpty()) {
      log.println("bench: FAILED:");
      ctx.failures().forEach(f -> log.println("  - " + f));
      return 1;
    }
    return 0;
  }

  /** Runs the sections --sections names; returns their Markdown, in the order of BENCHMARKS.md. */
  private String sections(
      BenchContext ctx, Kubernetes shared, StaticCredentialsProvider credentials) throws Exception {
    StringBuilder md = new StringBuilder();
    ctx.prepare();
    Installs.Results installs = null;
    if (cfg.runs("installs")) {
      installs = new Installs(ctx, new InJvmInstalls(ctx, shared)).run();
      md.append(InstallTables.installTable(installs, ctx.wipes));
    }
    if (cfg.runs("noop")) {
      md.append(new NoOpRerun(ctx, credentials).run());
    }
    if (cfg.runs("fleet")) {
      md.append(new Fleet(ctx).run());
    }
    if (installs != null) {
      md.append(InstallTables.whereTimeGoes(installs));
    }
    if (cfg.runs("ack")) {
      AckInstalls.Results ack = new AckInstalls(ctx, shared).run();
      RenderCost.Results render = new RenderCost(ctx).run();
      md.append(AckTables.installTable(ack))
          .append(AckTables.whereTimeGoes(ack))
          .append(AckTables.renderTable(render, cfg.renderWarm()));
    }
    return md.toString();
  }
}
