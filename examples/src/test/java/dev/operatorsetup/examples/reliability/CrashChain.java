package dev.operatorsetup.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operatorsetup.aws.AwsPorts;
import dev.operatorsetup.port.Kubernetes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.DynamicTest;

/**
 * {@link CrashIT}'s harness: passes of kill points (one command, killed at each write of its clean
 * run), chained on one slate of the emulators. Each pass starts from a {@link Slate} and leaves
 * another; a kill point first brings the slate to its pass's start the cheapest way (often nothing:
 * the previous kill point of the other pass left it there), and marks it unknown while it runs, so
 * that after a failure the next one starts from scratch.
 */
final class CrashChain {

  /** What is on the emulators. */
  enum Slate {
    /** Nothing of the installation: the cluster in moto, no role, no provider, no objects. */
    CLEAN,
    /** An undisturbed install. */
    INSTALLED,
    /** An undisturbed install of the ACK chart {@link #PREVIOUS_CHART}. */
    PREVIOUS,
    /** Whatever a failed kill point left. */
    UNKNOWN
  }

  /** The chart an ACK upgrade starts from. */
  static final String PREVIOUS_CHART = "1.6.0";

  /** What one pass found. */
  static final class Figures {
    final String command;
    int writes;
    int planned;
    int killPoints;
    int converged;
    int duplicates;
    int silentRuns;
    long nanos;

    Figures(String command) {
      this.command = command;
    }

    @Override
    public String toString() {
      return command
          + " "
          + writes
          + " writes, "
          + killPoints
          + " kill points, "
          + converged
          + " re-runs converged, "
          + duplicates
          + " duplicates, "
          + silentRuns
          + " third runs with 0 writes, "
          + Duration.ofNanos(nanos).toSeconds()
          + " s";
    }
  }

  final Emulators em;
  final ProxiedCommand command;
  final String cluster;
  final String ns;
  Slate slate = Slate.UNKNOWN;

  /** The third run of a kill point, given the verb: the writes it made. */
  Function<String, List<WriteLog.Write>> thirdRun;

  CrashChain(Emulators em, ProxiedCommand command, String cluster, String ns) {
    this.em = em;
    this.command = command;
    this.cluster = cluster;
    this.ns = ns;
  }

  /** Moto emptied, the cluster created again, every object of the manifest gone, namespace too. */
  void fresh() {
    em.moto.reset();
    em.cluster(cluster);
    em.clusterScoped = em.manifest(cluster, "unused");
    em.deleteClusterScoped(em.clusterScoped);
    em.clearNamespace(cluster, ns);
    em.awaitNamespaceDeleted(ns);
    slate = Slate.CLEAN;
  }

  List<String> state() {
    return em.state(cluster, ns);
  }

  /** Brings the slate to {@code want}. */
  void prepare(Slate want) {
    if (slate == want) {
      return;
    }
    if (want == Slate.CLEAN) {
      if (slate == Slate.UNKNOWN) {
        fresh();
      } else {
        em.setup(cluster, ns).uninstall();
      }
    } else if (want == Slate.INSTALLED) {
      if (slate == Slate.UNKNOWN) {
        fresh();
      }
      em.setup(cluster, ns).install();
    } else {
      previousChart();
    }
    slate = want;
  }

  /**
   * An undisturbed install of {@link #PREVIOUS_CHART} on a clean slate (an install of it over a
   * newer one would leave the newer CRDs: install never deletes a CRD, and one whose fields are a
   * superset of the chart's is unchanged).
   */
  private void previousChart() {
    prepare(Slate.CLEAN);
    em.chart = PREVIOUS_CHART;
    try {
      em.setup(cluster, ns).install();
    } finally {
      em.chart = null;
    }
  }

  /** A run in this JVM through the proxies (their writes counted), as the third run of a kill. */
  List<WriteLog.Write> inThisJvm(String verb, AwsPorts aws, Kubernetes kube) {
    WriteLog log = new WriteLog();
    command.tap(log);
    try {
      var setup = em.setup(cluster, ns, aws, kube);
      if (verb.equals("install")) {
        setup.install();
      } else {
        setup.uninstall();
      }
    } finally {
      command.tap(null);
    }
    return log.writes();
  }

  /**
   * A pass: {@code verb} (install or uninstall, with the current chart) from the slate {@code
   * from}, run clean through the proxies once to count its writes and take the state it leaves.
   */
  Pass pass(String name, String verb, Slate from) {
    long start = System.nanoTime();
    prepare(from);
    ProxiedCommand.Run clean = command.run(command.args(verb, cluster, ns), new WriteLog());
    clean.requireSuccess();
    Pass pass = new Pass(name, verb, from, clean.log().writes(), state());
    slate = pass.to;
    System.out.printf(
        "[CrashIT] %s: a clean %s makes %d writes, in %d ms:%n",
        em.target, name, pass.writes.size(), clean.took().toMillis());
    pass.writes.forEach(w -> System.out.println("[CrashIT]   " + w));
    assertThat(pass.writes).as("writes of a clean " + name).isNotEmpty();
    pass.figures.nanos += System.nanoTime() - start;
    return pass;
  }

  /** The kill points of one command from one slate, and what they found. */
  final class Pass {
    final String verb;
    final Slate from;
    final Slate to;
    final List<WriteLog.Write> writes;
    final List<String> reference;
    final Figures figures;

    Pass(String name, String verb, Slate from, List<WriteLog.Write> writes, List<String> ref) {
      this.verb = verb;
      this.from = from;
      this.to = verb.equals("install") ? Slate.INSTALLED : Slate.CLEAN;
      this.writes = writes;
      this.reference = ref;
      this.figures = new Figures(name);
      figures.writes = writes.size();
    }

    /** The kill point at write {@code k}, or none when a clean run makes fewer writes. */
    Optional<DynamicTest> killPoint(int k, WriteLog.Kill when) {
      if (k > writes.size()) {
        return Optional.empty();
      }
      figures.planned++;
      return Optional.of(
          DynamicTest.dynamicTest(
              CrashIT.label(figures.command, when, k, writes.get(k - 1).what),
              () -> {
                long start = System.nanoTime();
                prepare(from);
                slate = Slate.UNKNOWN;
                killAndConverge(k, when);
                slate = to;
                figures.nanos += System.nanoTime() - start;
              }));
    }

    /**
     * Runs the command, killed at write {@code k}; then a re-run of the command, which must reach
     * the reference state; then a third run, which must write nothing.
     */
    private void killAndConverge(int k, WriteLog.Kill when) {
      List<String> args = command.args(verb, cluster, ns);
      ProxiedCommand.Run killed = command.run(args, new WriteLog().killAt(k, when));
      assertThat(killed.log().killed())
          .as("killed at write %d; it made %s:%n%s", k, killed.log().writes(), killed.output())
          .isTrue();
      assertThat(killed.exit()).as("SIGKILL").isEqualTo(137);
      figures.killPoints++;

      ProxiedCommand.Run rerun = command.run(args, new WriteLog()).requireSuccess();
      List<String> state = state();
      figures.duplicates += duplicates(state, reference);
      assertThat(state).as("the state after the re-run").isEqualTo(reference);
      figures.converged++;

      long third = System.nanoTime();
      assertThat(thirdRun.apply(verb)).as("writes of the third run").isEmpty();
      figures.silentRuns++;
      System.out.printf(
          "[CrashIT] %s %s killed %s at write %d: killed run %d ms, re-run %d ms, third %d ms%n",
          em.target,
          figures.command,
          when,
          k,
          killed.took().toMillis(),
          rerun.took().toMillis(),
          Duration.ofNanos(System.nanoTime() - third).toMillis());
    }
  }

  /** Roles, providers, objects and counted things beyond those of the reference. */
  static int duplicates(List<String> state, List<String> reference) {
    int extra = 0;
    for (String prefix : List.of("role ", "provider ", "k8s ")) {
      extra += Math.max(0, count(state, prefix) - count(reference, prefix));
    }
    for (String counted : reference) {
      if (counted.startsWith("count ")) {
        String key = counted.substring(0, counted.indexOf('=') + 1);
        int expected = Integer.parseInt(counted.substring(key.length()));
        for (String s : state) {
          if (s.startsWith(key)) {
            extra += Math.max(0, Integer.parseInt(s.substring(key.length())) - expected);
          }
        }
      }
    }
    return extra;
  }

  private static int count(List<String> lines, String prefix) {
    return (int) lines.stream().filter(s -> s.startsWith(prefix)).count();
  }
}
