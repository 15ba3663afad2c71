package dev.operatorsetup.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.model.InstallReport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.DynamicTest;

/**
 * The fault and race suites, for any target: a world with one cluster, and the options of the
 * installation under test in it.
 *
 * @param world a new world with the cluster (every world's cluster has the same issuer)
 * @param setup the options of the installation under test in a world
 * @param region the cluster's region
 * @param role the role the installation uses
 */
public record FaultSuites(
    Supplier<FakeWorld> world,
    Function<FakeWorld, OperatorSetup.Options> setup,
    String region,
    String role) {

  /** The writes of a clean install, in order. */
  public List<String> writesOfACleanInstall() {
    FakeWorld probe = world.get();
    setup.apply(probe).install();
    return probe.log().writes().stream().map(CallLog.Call::toString).toList();
  }

  /**
   * For every write of a clean install, a run that dies right before it and one that dies right
   * after it; each is followed by a re-run that reaches the undisturbed state with nothing
   * duplicated, and then by a run that writes nothing.
   */
  public List<DynamicTest> aFaultAtEveryInstallWrite(List<String> writes) {
    FakeWorld probe = world.get();
    setup.apply(probe).install();
    List<String> reference = WorldState.of(probe, region);
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 1; i <= writes.size(); i++) {
      int n = i;
      for (Faults.When when : Faults.When.values()) {
        tests.add(
            DynamicTest.dynamicTest(
                when.name().toLowerCase() + " write " + n + " (" + writes.get(n - 1) + ")",
                () -> faultThenReRun(n, when, reference)));
      }
    }
    return tests;
  }

  private void faultThenReRun(int n, Faults.When when, List<String> reference) {
    FakeWorld w = world.get();
    if (when == Faults.When.BEFORE) {
      w.faults().failBeforeWrite(n);
    } else {
      w.faults().failAfterWrite(n);
    }
    assertThatThrownBy(() -> setup.apply(w).install()).isInstanceOf(InjectedFault.class);
    w.faults().clear();
    setup.apply(w).install();
    assertThat(WorldState.of(w, region)).isEqualTo(reference);
    assertThat(w.aws().providerArns()).hasSize(1);
    assertThat(w.aws().roleNames()).containsExactly(role);
    w.log().clear();
    setup.apply(w).install();
    assertThat(w.log().writes()).isEmpty();
  }

  /** For every write of an uninstall, a run that dies before it, then a re-run that finishes. */
  public List<DynamicTest> aFaultAtEveryUninstallWrite() {
    FakeWorld probe = world.get();
    List<String> empty = WorldState.of(probe, region);
    setup.apply(probe).install();
    probe.log().clear();
    setup.apply(probe).uninstall();
    int writes = probe.log().writes().size();
    assertThat(WorldState.of(probe, region)).isEqualTo(empty);
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 1; i <= writes; i++) {
      int n = i;
      tests.add(
          DynamicTest.dynamicTest(
              "uninstall dies before write " + n,
              () -> {
                FakeWorld w = world.get();
                setup.apply(w).install();
                w.faults().failBeforeWrite(n);
                assertThatThrownBy(() -> setup.apply(w).uninstall())
                    .isInstanceOf(InjectedFault.class);
                w.faults().clear();
                setup.apply(w).uninstall();
                assertThat(WorldState.of(w, region)).isEqualTo(empty);
              }));
    }
    return tests;
  }

  /** Two installs of the same cluster at once both succeed with the state of one install. */
  public void twoInstallsAtOnceConverge() throws Exception {
    FakeWorld reference = world.get();
    setup.apply(reference).install();
    FakeWorld w = world.get();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<InstallReport>> runs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      runs.add(
          pool.submit(
              () -> {
                go.await();
                return setup.apply(w).install();
              }));
    }
    go.countDown();
    for (Future<InstallReport> run : runs) {
      assertThat(run.get().roleArn()).isPresent();
    }
    pool.shutdown();
    assertThat(w.aws().roleNames()).containsExactly(role);
    assertThat(w.aws().providerArns()).hasSize(1);
    assertThat(WorldState.of(w, region)).isEqualTo(WorldState.of(reference, region));
    w.log().clear();
    assertThat(setup.apply(w).install().changed()).isFalse();
    assertThat(w.log().writes()).isEmpty();
  }
}
