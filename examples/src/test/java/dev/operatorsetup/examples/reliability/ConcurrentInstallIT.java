package dev.operatorsetup.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.aws.AwsPorts;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.testkit.plane.RequiresControlPlane;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two installs of the same cluster at once, on the real emulators, from a clean slate (so both race
 * to create every resource): both succeed, or one fails with a clean {@link
 * OperatorSetupException}; the final state is that of one undisturbed install, nothing duplicated;
 * a re-run writes nothing. Each install has its own AWS SDK clients and Kubernetes client, as two
 * processes would; once more with two command processes.
 *
 * <p>That they really raced is proven, not assumed: each run reaches the emulators through proxies
 * of its own ({@link ProxiedCommand}), which time its writes ({@link WriteLog}); the first write of
 * each is held until the other's first write has arrived too (at most {@link #GATE_TIMEOUT}), and
 * the test asserts that both were inside their write phase at once: the later first write arrived
 * before the earlier last answer.
 *
 * <p>Once per {@link Target}: the legacy operator and the ACK controller.
 */
@RequiresControlPlane
@ParameterizedClass(name = "{0}")
@MethodSource("dev.operatorsetup.examples.reliability.Target#selected")
class ConcurrentInstallIT {

  static final String CLUSTER = "reliability-race";

  /** How long each run's first write waits at its proxy for the other's. */
  static final Duration GATE_TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension static final Emulators em = new Emulators("r");

  /** The operator this invocation of the class installs (set on {@link #em} too). */
  @Parameter Target target;

  static List<String> reference;

  @BeforeParameterizedClassInvocation
  static void reference(Target target) {
    em.use(target);
    em.fresh(CLUSTER);
    String ns = em.namespace("ref");
    em.setup(CLUSTER, ns).install();
    reference = em.state(CLUSTER, ns);
    em.clearNamespace(CLUSTER, ns);
  }

  /** A re-run, counted: it must write nothing. */
  private static void reRunWritesNothing(String ns) {
    WriteFaults counter = new WriteFaults();
    InstallReport again =
        em.setup(CLUSTER, ns, counter.aws(em.aws), counter.kubernetes(em.kube)).install();
    assertThat(counter.writes()).as("writes of the re-run").isEmpty();
    assertThat(again.changed()).isFalse();
  }

  /** Each run's writes counted at proxies of its own, its first write held until both arrive. */
  private static List<WriteLog> gatedLogs() {
    CountDownLatch gate = new CountDownLatch(2);
    return List.of(
        new WriteLog().holdFirstWrite(gate, GATE_TIMEOUT),
        new WriteLog().holdFirstWrite(gate, GATE_TIMEOUT));
  }

  private static List<ProxiedCommand> proxies(int count) throws IOException {
    List<ProxiedCommand> proxies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      proxies.add(new ProxiedCommand(em, Files.createTempDirectory("race")));
    }
    return proxies;
  }

  /**
   * Both runs were inside their write phases at the same time, by the proxies' clocks: the later of
   * the two first writes arrived before the earlier of the two last answers.
   */
  private static void assertWritePhasesOverlap(String what, List<WriteLog> logs) {
    for (WriteLog log : logs) {
      assertThat(log.writes()).as("writes of each run").isNotEmpty();
      assertThat(log.gateTimedOut()).as("the other run's first write never came").isFalse();
    }
    long t0 = Math.min(logs.get(0).firstArrived(), logs.get(1).firstArrived());
    long bothIn = Math.max(logs.get(0).firstArrived(), logs.get(1).firstArrived());
    long firstOut = Math.min(logs.get(0).lastAnswered(), logs.get(1).lastAnswered());
    StringBuilder figure =
        new StringBuilder("[ConcurrentInstallIT] ")
            .append(what)
            .append(": write phases overlapped by ")
            .append(millis(firstOut - bothIn))
            .append(" ms");
    for (int i = 0; i < logs.size(); i++) {
      WriteLog log = logs.get(i);
      figure
          .append("; run ")
          .append(i + 1)
          .append(": ")
          .append(log.writes().size())
          .append(" writes from +")
          .append(millis(log.firstArrived() - t0))
          .append(" to +")
          .append(millis(log.lastAnswered() - t0))
          .append(" ms");
    }
    System.out.println(figure);
    assertThat(bothIn).as("both runs inside their write phase at once").isLessThan(firstOut);
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  @RepeatedTest(3)
  void twoInstallsInTwoThreadsAtOnce(RepetitionInfo repetition) throws Exception {
    em.fresh(CLUSTER);
    String ns = em.namespace("t" + repetition.getCurrentRepetition());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<InstallReport>> runs = new ArrayList<>();
    List<WriteLog> logs = gatedLogs();
    List<ProxiedCommand> proxies = proxies(2);
    try {
      for (int i = 0; i < 2; i++) {
        ProxiedCommand proxy = proxies.get(i);
        proxy.tap(logs.get(i));
        runs.add(
            pool.submit(
                () -> {
                  try (AwsPorts aws = proxy.awsPorts();
                      Kubernetes kube = proxy.kubernetes()) {
                    go.await();
                    return em.setup(CLUSTER, ns, aws, kube).install();
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
      proxies.forEach(ProxiedCommand::close);
    }
    assertWritePhasesOverlap("threads", logs);
    assertThat(em.state(CLUSTER, ns)).isEqualTo(reference);
    reRunWritesNothing(ns);
    em.clearNamespace(CLUSTER, ns);
  }

  @RepeatedTest(2)
  void twoCommandProcessesAtOnce(RepetitionInfo repetition) throws Exception {
    em.fresh(CLUSTER);
    String ns = em.namespace("p" + repetition.getCurrentRepetition());
    List<WriteLog> logs = gatedLogs();
    List<ProxiedCommand> proxies = proxies(2);
    List<ProxiedCommand.Run> runs = new ArrayList<>();
    try {
      List<CompletableFuture<ProxiedCommand.Run>> started = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        ProxiedCommand proxy = proxies.get(i);
        WriteLog log = logs.get(i);
        started.add(
            CompletableFuture.supplyAsync(
                () -> proxy.run(proxy.args("install", CLUSTER, ns), log)));
      }
      for (CompletableFuture<ProxiedCommand.Run> run : started) {
        runs.add(run.get(4, TimeUnit.MINUTES));
      }
    } finally {
      proxies.forEach(ProxiedCommand::close);
    }
    int succeeded = 0;
    for (ProxiedCommand.Run run : runs) {
      if (run.exit() == 0) {
        succeeded++;
      } else {
        assertThat(run.exit()).as(run.output()).isIn(1, 3);
        assertThat(run.output()).contains("error: ").contains("Fix").doesNotContain("\tat ");
        System.out.println("[ConcurrentInstallIT] the other process: " + run.output());
      }
    }
    assertThat(succeeded).as("processes that succeeded").isGreaterThanOrEqualTo(1);
    System.out.println("[ConcurrentInstallIT] processes: " + succeeded + " of 2 succeeded");
    assertWritePhasesOverlap("processes", logs);
    assertThat(em.state(CLUSTER, ns)).isEqualTo(reference);
    reRunWritesNothing(ns);
    em.clearNamespace(CLUSTER, ns);
  }
}
