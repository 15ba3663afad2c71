package dev.operatorsetup.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operatorsetup.testkit.plane.RequiresControlPlane;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real crashes: {@code bin/operator-setup} as a process, killed with SIGKILL from outside the JVM
 * at every write of an install and of an uninstall, twice: while the write is in flight (it arrived
 * at the proxy and never reaches the server), and right after its answer (the server made it; the
 * process never hears of it). The writes are counted by proxies in front of moto_server and the API
 * server ({@link ProxiedCommand}, {@link WriteLog}); every kill is followed by a re-run that must
 * reach the state of an undisturbed run with nothing duplicated, then a run that must write
 * nothing.
 *
 * <p>There are exactly as many kill points per pass as a clean run makes writes. The fast suite of
 * the same idea, in-JVM, is {@link FaultsIT}. {@code -Dreliability.crash.every=K} tries every Kth
 * write only (local runs; CI tries all).
 */
@RequiresControlPlane
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashIT {

  static final String CLUSTER = "reliability-crash";
  static final int EVERY = Integer.getInteger("reliability.crash.every", 1);

  /** What one pass (install or uninstall) found. */
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

  @RegisterExtension static final Emulators em = new Emulators("c");
  static ProxiedCommand command;
  static Path dir;
  static final Figures install = new Figures("install");
  static final Figures uninstall = new Figures("uninstall");

  @BeforeAll
  static void connect() throws IOException {
    dir = Files.createTempDirectory("crash-it");
    command = new ProxiedCommand(em, dir);
    em.clusterScoped = em.manifest(CLUSTER, "unused");
  }

  /** Before the emulators clean up (the extension's afterAll comes after this). */
  @AfterAll
  static void cleanUp() {
    System.out.println("[CrashIT] crash harness: " + install + "; " + uninstall);
    if (command != null) {
      command.close();
    }
  }

  /** Moto emptied, the cluster created again, the manifest's cluster-scoped objects deleted. */
  private static void fresh() {
    em.moto.reset();
    em.cluster(CLUSTER);
    em.deleteClusterScoped(em.clusterScoped);
  }

  private static List<String> state(String ns) {
    return em.state(CLUSTER, ns);
  }

  // ------------------------------------------------------------------ install

  @TestFactory
  @Order(1)
  List<DynamicTest> install_killedAtEveryWrite_thenAReRunConverges_thenAThirdWritesNothing() {
    long start = System.nanoTime();
    fresh();
    String ns = em.namespace("iref");
    ProxiedCommand.Run clean =
        command.run(command.args("install", CLUSTER, ns), new WriteLog()).requireSuccess();
    List<String> reference = state(ns);
    assertThat(reference)
        .contains("count deployments=1", "count pods=1", "count replicasets with replicas=1")
        .filteredOn(s -> s.startsWith("role ") || s.startsWith("provider "))
        .hasSize(2);
    return passes(
        install,
        clean,
        start,
        (k, when) -> {
          fresh();
          String killedNs = em.namespace("i" + when.name().charAt(0) + k);
          killAndConverge(install, "install", killedNs, k, when, reference);
          em.deleteNamespace(killedNs);
        });
  }

  // ------------------------------------------------------------------ uninstall

  @TestFactory
  @Order(2)
  List<DynamicTest> uninstall_killedAtEveryWrite_thenAReRunConverges_thenAThirdWritesNothing() {
    long start = System.nanoTime();
    String ns = installed("uref");
    ProxiedCommand.Run clean =
        command.run(command.args("uninstall", CLUSTER, ns), new WriteLog()).requireSuccess();
    List<String> reference = state(ns);
    assertThat(reference)
        .noneMatch(s -> s.startsWith("role ") || s.startsWith("provider "))
        .contains("count deployments=0", "count pods=0");
    return passes(
        uninstall,
        clean,
        start,
        (k, when) ->
            killAndConverge(
                uninstall,
                "uninstall",
                installed("u" + when.name().charAt(0) + k),
                k,
                when,
                reference));
  }

  /** A fresh slate with an undisturbed install (by the Java API, not through the proxies). */
  private static String installed(String label) {
    fresh();
    String ns = em.namespace(label);
    em.setup(CLUSTER, ns).install();
    return ns;
  }

  // ------------------------------------------------------------------ the harness

  /** A kill point: the write's number and when the process dies. */
  interface KillPoint {
    void run(int write, WriteLog.Kill when) throws Exception;
  }

  /**
   * One dynamic test per kill point (every write, in flight and after its answer), then a count.
   */
  private static List<DynamicTest> passes(
      Figures figures, ProxiedCommand.Run clean, long start, KillPoint killPoint) {
    List<WriteLog.Write> writes = clean.log().writes();
    figures.writes = writes.size();
    assertThat(writes).as("writes of a clean " + figures.command).isNotEmpty();
    System.out.println(
        "[CrashIT] a clean "
            + figures.command
            + " makes "
            + writes.size()
            + " writes, in "
            + clean.took().toMillis()
            + " ms:");
    writes.forEach(w -> System.out.println("[CrashIT]   " + w));
    List<DynamicTest> tests = new ArrayList<>();
    for (WriteLog.Kill when : WriteLog.Kill.values()) {
      for (int k = 1; k <= writes.size(); k += EVERY) {
        int n = k;
        figures.planned++;
        String label = when.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        tests.add(
            DynamicTest.dynamicTest(
                figures.command
                    + " killed "
                    + label
                    + " at write "
                    + n
                    + " ("
                    + writes.get(n - 1).what.replaceAll("/namespaces/[^/]+/", "/namespaces/<ns>/")
                    + ")",
                () -> killPoint.run(n, when)));
      }
    }
    tests.add(
        DynamicTest.dynamicTest(
            figures.command + ": as many kill points per pass as a clean run makes writes",
            () -> {
              figures.nanos = System.nanoTime() - start;
              System.out.println("[CrashIT] " + figures);
              int expected = WriteLog.Kill.values().length * ((writes.size() + EVERY - 1) / EVERY);
              assertThat(figures.planned).isEqualTo(expected);
              assertThat(figures.killPoints).as("kill points").isEqualTo(expected);
              assertThat(figures.converged).as("re-runs converged").isEqualTo(expected);
              assertThat(figures.silentRuns).as("third runs with 0 writes").isEqualTo(expected);
              assertThat(figures.duplicates).isZero();
            }));
    return tests;
  }

  /**
   * Runs {@code verb}, killed at write {@code k}; then a re-run, which must reach {@code
   * reference}; then a third run, which must write nothing.
   */
  private static void killAndConverge(
      Figures figures, String verb, String ns, int k, WriteLog.Kill when, List<String> reference) {
    List<String> args = command.args(verb, CLUSTER, ns);
    ProxiedCommand.Run killed = command.run(args, new WriteLog().killAt(k, when));
    assertThat(killed.log().killed())
        .as("killed at write %d; it made %s:%n%s", k, killed.log().writes(), killed.output())
        .isTrue();
    assertThat(killed.exit()).as("SIGKILL").isEqualTo(137);
    figures.killPoints++;

    command.run(args, new WriteLog()).requireSuccess();
    List<String> state = state(ns);
    figures.duplicates += duplicates(state, reference);
    assertThat(state).as("the state after the re-run").isEqualTo(reference);
    figures.converged++;

    ProxiedCommand.Run third = command.run(args, new WriteLog()).requireSuccess();
    assertThat(third.log().writes()).as("writes of the third run").isEmpty();
    figures.silentRuns++;
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
