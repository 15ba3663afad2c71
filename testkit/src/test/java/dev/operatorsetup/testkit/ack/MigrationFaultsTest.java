package dev.operatorsetup.testkit.ack;

import static dev.operatorsetup.testkit.ack.AckOnFakesTest.REGION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.testkit.CallLog;
import dev.operatorsetup.testkit.FakeWorld;
import dev.operatorsetup.testkit.Faults;
import dev.operatorsetup.testkit.InjectedFault;
import dev.operatorsetup.testkit.LegacyFixtures;
import dev.operatorsetup.testkit.WorldState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The migration dies before and after each of its writes; a re-run reaches the state of an
 * undisturbed migration with nothing duplicated, SageMaker is only read, and a third run writes
 * nothing.
 */
class MigrationFaultsTest {
  private record World(FakeWorld world, List<LegacyFixtures.Legacy> legacy) {}

  private static World legacyCluster() {
    FakeWorld w = new FakeWorld();
    return new World(w, MigrationOnFakesTest.legacyCluster(w));
  }

  @TestFactory
  List<DynamicTest> aFaultAtEveryMigrationWrite() {
    World probe = legacyCluster();
    Map<String, Optional<Map<String, Object>>> sageMaker =
        MigrationOnFakesTest.describeAll(probe.world(), probe.legacy());
    probe.world().log().clear();
    MigrationOnFakesTest.ack(probe.world()).migrate();
    List<String> writes =
        probe.world().log().writes().stream().map(CallLog.Call::toString).toList();
    List<String> reference = WorldState.of(probe.world(), REGION);
    assertThat(writes).hasSizeGreaterThan(20);
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 1; i <= writes.size(); i++) {
      int n = i;
      for (Faults.When when : Faults.When.values()) {
        tests.add(
            DynamicTest.dynamicTest(
                when.name().toLowerCase() + " write " + n + " (" + writes.get(n - 1) + ")",
                () -> {
                  World w = legacyCluster();
                  if (when == Faults.When.BEFORE) {
                    w.world().faults().failBeforeWrite(n);
                  } else {
                    w.world().faults().failAfterWrite(n);
                  }
                  assertThatThrownBy(() -> MigrationOnFakesTest.ack(w.world()).migrate())
                      .isInstanceOf(InjectedFault.class);
                  w.world().faults().clear();
                  MigrationOnFakesTest.ack(w.world()).migrate();
                  assertThat(WorldState.of(w.world(), REGION)).isEqualTo(reference);
                  assertThat(MigrationOnFakesTest.describeAll(w.world(), w.legacy()))
                      .isEqualTo(sageMaker);
                  assertThat(MigrationOnFakesTest.sageMakerOnlyRead(w.world())).isTrue();
                  w.world().log().clear();
                  MigrationOnFakesTest.ack(w.world()).migrate();
                  assertThat(w.world().log().writes()).isEmpty();
                }));
      }
    }
    return tests;
  }
}
