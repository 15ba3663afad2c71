package dev.operatorsetup.bench;

import static dev.operatorsetup.bench.BenchContext.last;
import static dev.operatorsetup.bench.BenchContext.millisSince;
import static dev.operatorsetup.bench.Markdown.fmt;

import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.aws.AwsPorts;
import dev.operatorsetup.kubernetes.KubernetesPorts;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.port.Kubernetes;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The noop section: one fresh install with every call counted (AWS through the {@code AwsPorts}
 * call listener, Kubernetes at the port and, below it, as HTTP requests), then the same install
 * again, several times, in one JVM: nothing to change, so nothing may be written. Writes fail the
 * benchmark. The tables: {@link NoOpTable} and {@link ApiCallsVsMinimum}.
 */
final class NoOpRerun {
  /** The calls of one install: AWS per operation, Kubernetes per port method, HTTP per method. */
  record Calls(
      Map<AwsCallLog.Op, Long> aws,
      Map<String, MeteredKubernetes.Usage> kube,
      Map<String, Long> http) {}

  /** The re-runs: wall times, the calls of the first, and the writes over all of them. */
  record Reruns(Samples times, Calls first, long awsWrites, long kubeWrites, long httpWrites) {
    long writes() {
      return awsWrites + kubeWrites + httpWrites;
    }
  }

  private final BenchContext ctx;
  private final AwsCredentialsProvider credentials;
  private final AwsCallLog awsLog = new AwsCallLog();
  private final ApiRequestLog httpLog = new ApiRequestLog();

  NoOpRerun(BenchContext ctx, AwsCredentialsProvider credentials) {
    this.ctx = ctx;
    this.credentials = credentials;
  }

  /** Counts a fresh install and its no-op re-runs; returns the two tables. */
  String run() throws IOException {
    String id = ctx.name("count");
    ctx.fx.createCluster(id);
    String tables;
    try (AwsPorts counted =
            AwsPorts.builder()
                .region(ctx.cfg.region())
                .endpointOverride(ctx.cfg.awsEndpoint())
                .credentialsProvider(credentials)
                .callListener(awsLog)
                .build();
        Kubernetes k8s = KubernetesPorts.fromApiClient(countedClient())) {
      MeteredKubernetes kube = new MeteredKubernetes(k8s, new Timeline());
      InstallReport first = install(id, counted, kube);
      ctx.expectChanged(first, id);
      Calls fresh = new Calls(awsLog.snapshot(), kube.usage(), httpLog.snapshot());
      ctx.say(
          "counted a fresh install: AWS %s, Kubernetes port %s",
          fresh.aws(), fresh.kube().keySet());
      Reruns reruns = reruns(id, counted, kube);
      tables = NoOpTable.write(reruns) + ApiCallsVsMinimum.table(fresh);
    }
    ctx.wipeInstaller();
    return tables;
  }

  /** A Kubernetes client whose HTTP requests go through {@link #httpLog}. */
  private ApiClient countedClient() throws IOException {
    ApiClient client;
    try (Reader reader = Files.newBufferedReader(ctx.cfg.kubeconfig())) {
      KubeConfig kc = KubeConfig.loadKubeConfig(reader);
      kc.setFile(ctx.cfg.kubeconfig().toAbsolutePath().toFile());
      client = ClientBuilder.kubeconfig(kc).build();
    }
    client.setHttpClient(client.getHttpClient().newBuilder().addInterceptor(httpLog).build());
    return client;
  }

  private Reruns reruns(String id, AwsPorts counted, MeteredKubernetes kube) {
    Samples noop = new Samples();
    Calls first = null;
    long awsWrites = 0;
    long kubeWrites = 0;
    long httpWrites = 0;
    for (int i = 1; i <= ctx.cfg.noopRuns(); i++) {
      awsLog.reset();
      kube.reset();
      httpLog.reset();
      long start = System.nanoTime();
      InstallReport again = install(id, counted, kube);
      noop.add(millisSince(start));
      awsWrites += awsLog.writes();
      kubeWrites += kube.writes();
      httpWrites += httpLog.writes();
      if (again.changed()) {
        ctx.fail("no-op re-run " + i + " reported changes: " + again.changes());
      }
      if (first == null) {
        first = new Calls(awsLog.snapshot(), kube.usage(), httpLog.snapshot());
      }
      ctx.say("no-op re-run %d: %s, AWS %s", i, fmt(last(noop)), awsLog.byService().keySet());
    }
    Reruns r = new Reruns(noop, first, awsWrites, kubeWrites, httpWrites);
    if (r.writes() != 0) {
      ctx.fail(
          "no-op re-runs wrote: AWS "
              + awsWrites
              + ", Kubernetes port "
              + kubeWrites
              + ", HTTP "
              + httpWrites
              + " (must be 0)");
    }
    return r;
  }

  private InstallReport install(String id, AwsPorts counted, Kubernetes kube) {
    return OperatorSetup.forCluster(id)
        .inRegion(ctx.cfg.region())
        .withRole(id)
        .withAws(counted)
        .withKubernetes(kube)
        .withTimeout(BenchContext.TIMEOUT)
        .install();
  }
}
