package dev.operatorsetup.testkit;

import static dev.operatorsetup.testkit.Example.CLUSTER;
import static dev.operatorsetup.testkit.Example.ISSUER;
import static dev.operatorsetup.testkit.Example.REGION;
import static dev.operatorsetup.testkit.Example.ROLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * For every write a clean install makes: a run that dies right before it, and one that dies right
 * after it, each followed by a re-run, end in the same state as an undisturbed install.
 */
class FaultConvergenceTest {

  private static FakeWorld world() {
    FakeWorld world = new FakeWorld();
    world.aws().addCluster(REGION, CLUSTER, ISSUER);
    return world;
  }

  private static List<String> referenceState() {
    FakeWorld world = world();
    world.setup(CLUSTER, REGION, ROLE).install();
    return WorldState.of(world, REGION);
  }

  private static List<String> writesOfACleanInstall() {
    FakeWorld world = world();
    world.setup(CLUSTER, REGION, ROLE).install();
    return world.log().writes().stream().map(CallLog.Call::toString).toList();
  }

  @TestFactory
  List<DynamicTest> aFaultAtEveryWriteThenAReRunConverges() {
    List<String> reference = referenceState();
    List<String> writes = writesOfACleanInstall();
    assertThat(writes).hasSizeGreaterThanOrEqualTo(21);
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 1; i <= writes.size(); i++) {
      int n = i;
      for (Faults.When when : Faults.When.values()) {
        tests.add(
            DynamicTest.dynamicTest(
                when.name().toLowerCase() + " write " + n + " (" + writes.get(n - 1) + ")",
                () -> {
                  FakeWorld world = world();
                  if (when == Faults.When.BEFORE) {
                    world.faults().failBeforeWrite(n);
                  } else {
                    world.faults().failAfterWrite(n);
                  }
                  assertThatThrownBy(() -> world.setup(CLUSTER, REGION, ROLE).install())
                      .isInstanceOf(InjectedFault.class);
                  world.faults().clear();
                  world.setup(CLUSTER, REGION, ROLE).install();
                  assertThat(WorldState.of(world, REGION)).isEqualTo(reference);
                  assertThat(world.aws().providerArns()).hasSize(1);
                  assertThat(world.aws().roleNames()).containsExactly(ROLE);
                  world.log().clear();
                  world.setup(CLUSTER, REGION, ROLE).install();
                  assertThat(world.log().writes()).isEmpty();
                }));
      }
    }
    return tests;
  }

  @TestFactory
  List<DynamicTest> aFaultAtEveryUninstallWriteThenAReRunConverges() {
    FakeWorld probe = world();
    List<String> empty = WorldState.of(probe, REGION);
    probe.setup(CLUSTER, REGION, ROLE).install();
    probe.log().clear();
    probe.setup(CLUSTER, REGION, ROLE).uninstall();
    int uninstallWrites = probe.log().writes().size();
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 1; i <= uninstallWrites; i++) {
      int n = i;
      tests.add(
          DynamicTest.dynamicTest(
              "uninstall dies before write " + n,
              () -> {
                FakeWorld world = world();
                world.setup(CLUSTER, REGION, ROLE).install();
                world.faults().failBeforeWrite(n);
                assertThatThrownBy(() -> world.setup(CLUSTER, REGION, ROLE).uninstall())
                    .isInstanceOf(InjectedFault.class);
                world.faults().clear();
                world.setup(CLUSTER, REGION, ROLE).uninstall();
                assertThat(WorldState.of(world, REGION)).isEqualTo(empty);
              }));
    }
    return tests;
  }
}
