package dev.operatorsetup.testkit.ack;

import static dev.operatorsetup.testkit.ack.AckOnFakesTest.CLUSTER;
import static dev.operatorsetup.testkit.ack.AckOnFakesTest.REGION;
import static dev.operatorsetup.testkit.ack.AckOnFakesTest.ROLE;
import static dev.operatorsetup.testkit.ack.AckOnFakesTest.ack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.testkit.CallLog;
import dev.operatorsetup.testkit.FakeWorld;
import dev.operatorsetup.testkit.Faults;
import dev.operatorsetup.testkit.InjectedFault;
import dev.operatorsetup.testkit.WorldState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Today's fault and race suites for the ACK target: a fault before and after every write of a clean
 * ACK install and of its uninstall, each followed by a re-run that reaches the undisturbed state
 * with nothing duplicated and then a run with zero writes; two ACK installs at once converge.
 */
class AckFaultsAndRacesTest {
  /** Every world's cluster has the same issuer, so that their states compare. */
  static final String ISSUER =
      "https://oidc.eks.us-west-2.amazonaws.com/id/ACCFA0175ACCFA0175ACCFA0175ACCFA";

  private static FakeWorld world() {
    FakeWorld world = new FakeWorld();
    world.aws().addCluster(REGION, CLUSTER, ISSUER);
    return world;
  }

  @TestFactory
  List<DynamicTest> aFaultAtEveryInstallWriteThenAReRunConverges() {
    FakeWorld probe = world();
    ack(probe).install();
    List<String> reference = WorldState.of(probe, REGION);
    List<String> writes = probe.log().writes().stream().map(CallLog.Call::toString).toList();
    assertThat(writes).hasSizeGreaterThan(40);
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

  private static void faultThenReRun(int n, Faults.When when, List<String> reference) {
    FakeWorld world = world();
    if (when == Faults.When.BEFORE) {
      world.faults().failBeforeWrite(n);
    } else {
      world.faults().failAfterWrite(n);
    }
    assertThatThrownBy(() -> ack(world).install()).isInstanceOf(InjectedFault.class);
    world.faults().clear();
    ack(world).install();
    assertThat(WorldState.of(world, REGION)).isEqualTo(reference);
    assertThat(world.aws().roleNames()).containsExactly(ROLE);
    assertThat(world.aws().providerArns()).hasSize(1);
    world.log().clear();
    ack(world).install();
    assertThat(world.log().writes()).isEmpty();
  }

  @TestFactory
  List<DynamicTest> aFaultAtEveryUninstallWriteThenAReRunConverges() {
    FakeWorld probe = world();
    List<String> empty = WorldState.of(probe, REGION);
    ack(probe).install();
    probe.log().clear();
    ack(probe).uninstall();
    int writes = probe.log().writes().size();
    assertThat(WorldState.of(probe, REGION)).isEqualTo(empty);
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 1; i <= writes; i++) {
      int n = i;
      tests.add(
          DynamicTest.dynamicTest(
              "uninstall dies before write " + n,
              () -> {
                FakeWorld world = world();
                ack(world).install();
                world.faults().failBeforeWrite(n);
                assertThatThrownBy(() -> ack(world).uninstall()).isInstanceOf(InjectedFault.class);
                world.faults().clear();
                ack(world).uninstall();
                assertThat(WorldState.of(world, REGION)).isEqualTo(empty);
              }));
    }
    return tests;
  }

  @RepeatedTest(3)
  void twoAckInstallsAtOnceConvergeToOne() throws Exception {
    FakeWorld reference = world();
    ack(reference).install();
    FakeWorld world = world();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<InstallReport>> runs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      runs.add(
          pool.submit(
              () -> {
                go.await();
                return ack(world).install();
              }));
    }
    go.countDown();
    for (Future<InstallReport> run : runs) {
      assertThat(run.get().roleArn()).isPresent();
    }
    pool.shutdown();
    assertThat(WorldState.of(world, REGION)).isEqualTo(WorldState.of(reference, REGION));
    world.log().clear();
    assertThat(ack(world).install().changed()).isFalse();
    assertThat(world.log().writes()).isEmpty();
  }
}
