package dev.operatorsetup.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operatorsetup.aws.AwsPorts;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.testkit.plane.RequiresControlPlane;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real crashes: {@code bin/operator-setup} as a process, killed with SIGKILL from outside the JVM
 * at every write of an install and of an uninstall, twice: while the write is in flight (it arrived
 * at the proxy and never reaches the server), and right after its answer (the server made it; the
 * process never hears of it). The writes are counted by proxies in front of moto_server and the API
 * server ({@link ProxiedCommand}, {@link WriteLog}); every kill is followed by a re-run of the
 * command that must reach the state of an undisturbed run with nothing duplicated, then a run that
 * must write nothing (in this JVM, its writes counted at the same proxies).
 *
 * <p>Once per {@link Target}: the legacy operator (in a namespace of the class) and the ACK
 * controller ({@code --target ack}, the bundled chart, {@code ack-system}). The kill points of the
 * two directions are chained: a converged install is where the next uninstall kill point starts,
 * and a converged uninstall (everything removed, the namespace gone) is the clean slate of the next
 * install kill point, so no kill point pays for a slate of its own; after a failed one the next
 * makes its slate from scratch. For ACK, an upgrade too: {@code --chart 1.6.0} installed, then the
 * install of the bundled chart killed at its writes ({@link #UPGRADE_EVERY}).
 *
 * <p>There are exactly as many kill points per pass as a clean run makes writes. The fast suite of
 * the same idea, in-JVM, is {@link FaultsIT}. {@code -Dreliability.crash.every=K} tries every Kth
 * write of an install and an uninstall only (local runs; CI tries all).
 */
@RequiresControlPlane
@ParameterizedClass(name = "{0}")
@MethodSource("dev.operatorsetup.examples.reliability.Target#selected")
class CrashIT {

  static final String CLUSTER = "reliability-crash";
  static final int EVERY = Integer.getInteger("reliability.crash.every", 1);

  /**
   * The upgrade's kill points: every 18th of its 37 writes by default (the first CRD, one in the
   * middle of the CRDs, the Deployment; each kill point pays for an uninstall and an install of the
   * previous chart, about 20 s); {@code -Dreliability.crash.upgrade.every=1} tries them all.
   */
  static final int UPGRADE_EVERY = Integer.getInteger("reliability.crash.upgrade.every", 18);

  @RegisterExtension static final Emulators em = new Emulators("c");

  /** The operator this invocation of the class installs (set on {@link #em} too). */
  @Parameter Target target;

  static ProxiedCommand command;
  static AwsPorts proxiedAws;
  static Kubernetes proxiedKube;
  static final List<String> figures = new ArrayList<>();
  static CrashChain chain;

  @BeforeAll
  static void connect() throws IOException {
    command = new ProxiedCommand(em, Files.createTempDirectory("crash-it"));
    proxiedAws = command.awsPorts();
    proxiedKube = command.kubernetes();
  }

  @BeforeParameterizedClassInvocation
  static void target(Target target) {
    em.use(target);
    chain = new CrashChain(em, command, CLUSTER, target.home(em, "home"));
    chain.thirdRun = verb -> chain.inThisJvm(verb, proxiedAws, proxiedKube);
  }

  /** Before the emulators clean up (the extension's afterAll comes after this). */
  @AfterAll
  static void cleanUp() {
    System.out.println("[CrashIT] crash harness: " + String.join("; ", figures));
    if (command != null) {
      proxiedAws.close();
      proxiedKube.close();
      command.close();
    }
  }

  @TestFactory
  List<DynamicTest> killedAtEveryWriteOfAnInstallAndAnUninstall_thenAReRunConverges() {
    long start = System.nanoTime();
    chain.fresh();
    List<String> clean = chain.state();
    CrashChain.Pass install = chain.pass("install", "install", CrashChain.Slate.CLEAN);
    assertThat(install.reference)
        .contains("count deployments=1", "count pods=1", "count replicasets with replicas=1")
        .filteredOn(s -> s.startsWith("role ") || s.startsWith("provider "))
        .hasSize(2);
    CrashChain.Pass uninstall = chain.pass("uninstall", "uninstall", CrashChain.Slate.INSTALLED);
    assertThat(uninstall.reference)
        .as("a clean uninstall leaves the slate it started from: the chain relies on it")
        .isEqualTo(clean)
        .noneMatch(s -> s.startsWith("role ") || s.startsWith("provider "))
        .contains("count deployments=0", "count pods=0");
    chain.slate = CrashChain.Slate.CLEAN;
    install.figures.nanos += System.nanoTime() - start;

    List<DynamicTest> tests = new ArrayList<>();
    int most = Math.max(install.writes.size(), uninstall.writes.size());
    for (WriteLog.Kill when : WriteLog.Kill.values()) {
      for (int k = 1; k <= most; k += EVERY) {
        install.killPoint(k, when).ifPresent(tests::add);
        uninstall.killPoint(k, when).ifPresent(tests::add);
      }
    }
    tests.add(count(install));
    tests.add(count(uninstall));
    return tests;
  }

  @TestFactory
  List<DynamicTest> ack_upgradeFromThePreviousChart_killedAtEveryWrite_thenAReRunConverges() {
    List<DynamicTest> tests = new ArrayList<>();
    if (target != Target.ACK) {
      return tests;
    }
    CrashChain.Pass upgrade =
        chain.pass(
            "upgrade " + CrashChain.PREVIOUS_CHART + " -> bundled",
            "install",
            CrashChain.Slate.PREVIOUS);
    for (WriteLog.Kill when : WriteLog.Kill.values()) {
      for (int k = 1; k <= upgrade.writes.size(); k += UPGRADE_EVERY) {
        upgrade.killPoint(k, when).ifPresent(tests::add);
      }
    }
    tests.add(count(upgrade, UPGRADE_EVERY));
    return tests;
  }

  /** As many kill points per pass as a clean run makes writes, each converged, none duplicated. */
  static DynamicTest count(CrashChain.Pass pass) {
    return count(pass, EVERY);
  }

  static DynamicTest count(CrashChain.Pass pass, int every) {
    return DynamicTest.dynamicTest(
        pass.figures.command + ": as many kill points per pass as a clean run makes writes",
        () -> {
          CrashChain.Figures f = pass.figures;
          figures.add(em.target + " " + f);
          System.out.println("[CrashIT] " + em.target + " " + f);
          int expected = WriteLog.Kill.values().length * ((f.writes + every - 1) / every);
          assertThat(f.planned).isEqualTo(expected);
          assertThat(f.killPoints).as("kill points").isEqualTo(expected);
          assertThat(f.converged).as("re-runs converged").isEqualTo(expected);
          assertThat(f.silentRuns).as("third runs with 0 writes").isEqualTo(expected);
          assertThat(f.duplicates).isZero();
        });
  }

  /** The label of a kill point's test. */
  static String label(String command, WriteLog.Kill when, int n, String write) {
    return command
        + " killed "
        + when.name().toLowerCase(Locale.ROOT).replace('_', ' ')
        + " at write "
        + n
        + " ("
        + write.replaceAll("/namespaces/[^/]+/", "/namespaces/<ns>/")
        + ")";
  }

  static String seconds(long nanos) {
    return Duration.ofNanos(nanos).toSeconds() + " s";
  }
}
