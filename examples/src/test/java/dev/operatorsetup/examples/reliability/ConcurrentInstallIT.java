package dev.operatorsetup.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.aws.AwsPorts;
import dev.operatorsetup.kubernetes.KubernetesPorts;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.testkit.moto.MotoServerExtension;
import dev.operatorsetup.testkit.plane.ControlPlane;
import dev.operatorsetup.testkit.plane.RequiresControlPlane;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two installs of the same cluster at once, on the real emulators, from a clean slate (so both race
 * to create every resource): both succeed, or one fails with a clean {@link
 * OperatorSetupException}; the final state is that of one undisturbed install, nothing duplicated;
 * a re-run writes nothing. Each install has its own AWS SDK clients and Kubernetes client, as two
 * processes would; once more with two command processes.
 */
@RequiresControlPlane
class ConcurrentInstallIT {
  @RegisterExtension static final MotoServerExtension MOTO = new MotoServerExtension();

  static final String CLUSTER = "reliability-race";
  static final String RUN = UUID.randomUUID().toString().substring(0, 5);

  static Emulators em;
  static List<String> reference;
  static final List<String> namespaces = new ArrayList<>();
  static List<KubeObject> clusterScoped = List.of();

  @BeforeAll
  static void reference(ControlPlane plane) {
    em = new Emulators(MOTO.server(), plane);
    fresh();
    String ns = namespace("ref");
    em.setup(CLUSTER, ns).install();
    reference = em.state(manifest(ns), ns);
  }

  @AfterAll
  static void cleanUp() {
    if (em == null) {
      return;
    }
    try {
      namespaces.forEach(em::deleteNamespace);
      namespaces.forEach(em::awaitNamespaceDeleted);
      em.deleteClusterScoped(clusterScoped);
    } finally {
      em.close();
    }
  }

  private static String namespace(String label) {
    String ns = "r" + RUN + "-" + label;
    namespaces.add(ns);
    return ns;
  }

  private static void fresh() {
    em.moto.reset();
    em.cluster(CLUSTER);
    clusterScoped = em.setup(CLUSTER, "unused").renderObjects();
    em.deleteClusterScoped(clusterScoped);
  }

  private static List<KubeObject> manifest(String namespace) {
    return em.setup(CLUSTER, namespace).renderObjects();
  }

  /** A re-run, counted: it must write nothing. */
  private static void reRunWritesNothing(String ns) {
    WriteFaults counter = new WriteFaults();
    InstallReport again =
        Emulators.setup(CLUSTER, ns, counter.aws(em.aws), counter.kubernetes(em.kube)).install();
    assertThat(counter.writes()).as("writes of the re-run").isEmpty();
    assertThat(again.changed()).isFalse();
  }

  @RepeatedTest(3)
  void twoInstallsInTwoThreadsAtOnce(RepetitionInfo repetition) throws Exception {
    fresh();
    String ns = namespace("t" + repetition.getCurrentRepetition());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<InstallReport>> runs = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        runs.add(
            pool.submit(
                () -> {
                  try (AwsPorts aws = em.awsPorts();
                      Kubernetes kube = KubernetesPorts.fromKubeconfig(em.plane.kubeconfig())) {
                    go.await();
                    return Emulators.setup(CLUSTER, ns, aws, kube).install();
                  }
                }));
      }
      go.countDown();
      int succeeded = 0;
      for (Future<InstallReport> run : runs) {
        try {
          run.get(3, TimeUnit.MINUTES);
          succeeded++;
        } catch (java.util.concurrent.ExecutionException e) {
          // the one that lost: a clean, explained refusal, nothing else
          assertThat(e.getCause())
              .isInstanceOf(OperatorSetupException.class)
              .satisfies(
                  c -> {
                    assertThat(c.getMessage()).contains("Fix").doesNotContain("\tat ");
                    System.out.println("[ConcurrentInstallIT] the other install: " + c);
                  });
        }
      }
      assertThat(succeeded).as("installs that succeeded").isGreaterThanOrEqualTo(1);
      System.out.println("[ConcurrentInstallIT] threads: " + succeeded + " of 2 succeeded");
    } finally {
      pool.shutdownNow();
    }
    assertThat(em.state(manifest(ns), ns)).isEqualTo(reference);
    reRunWritesNothing(ns);
  }

  @RepeatedTest(2)
  void twoCommandProcessesAtOnce(RepetitionInfo repetition) throws Exception {
    fresh();
    String ns = namespace("p" + repetition.getCurrentRepetition());
    List<String> args =
        List.of(
            "install",
            "--cluster",
            CLUSTER,
            "--region",
            Emulators.REGION,
            "--role",
            Emulators.ROLE,
            "--namespace",
            ns,
            "--aws-endpoint",
            em.moto.endpoint().toString(),
            "--kubeconfig",
            em.plane.kubeconfig().toString());
    List<Process> processes = new ArrayList<>();
    List<CompletableFuture<String>> outputs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      ProcessBuilder pb = new ProcessBuilder(Tools.command(List.of(), args));
      pb.environment().putAll(Tools.awsEnv());
      pb.redirectErrorStream(true);
      processes.add(pb.start());
    }
    for (Process p : processes) {
      outputs.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              }));
    }
    int succeeded = 0;
    for (int i = 0; i < 2; i++) {
      Process p = processes.get(i);
      assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
      String out = outputs.get(i).join();
      if (p.exitValue() == 0) {
        succeeded++;
      } else {
        assertThat(p.exitValue()).as(out).isIn(1, 3);
        assertThat(out).contains("error: ").contains("Fix").doesNotContain("\tat ");
        System.out.println("[ConcurrentInstallIT] the other process: " + out);
      }
    }
    assertThat(succeeded).as("processes that succeeded").isGreaterThanOrEqualTo(1);
    System.out.println("[ConcurrentInstallIT] processes: " + succeeded + " of 2 succeeded");
    assertThat(em.state(manifest(ns), ns)).isEqualTo(reference);
    reRunWritesNothing(ns);
  }
}
