package dev.operatorsetup.testkit.ack;

import static dev.operatorsetup.testkit.ack.AckOnFakesTest.REGION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.testkit.CallLog;
import dev.operatorsetup.testkit.FakeWorld;
import dev.operatorsetup.testkit.Faults;
import dev.operatorsetup.testkit.InjectedFault;
import dev.operatorsetup.testkit.WorldState;
import dev.operatorsetup.testkit.ack.MigrationOnFakesTest.SeededSageMaker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The migration dies before and after each of its writes; a re-run reaches the state of an
 * undisturbed migration with nothing duplicated, SageMaker is only read, and a third run writes
 * nothing.
 */
class MigrationFaultsTest {
  private record World(FakeWorld world, SeededSageMaker sageMaker) {}

  private static World legacyCluster() {
    FakeWorld w = new FakeWorld();
    SeededSageMaker sm = new SeededSageMaker();
    MigrationOnFakesTest.legacyCluster(w, sm);
    return new World(w, sm);
  }

  @TestFactory
  List<DynamicTest> aFaultAtEveryMigrationWrite() {
    World probe = legacyCluster();
    Map<String, Map<String, Object>> sageMaker = Map.copyOf(probe.sageMaker().resources);
    probe.world().log().clear();
    MigrationOnFakesTest.ack(probe.world(), probe.sageMaker()).migrate();
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
                  assertThatThrownBy(
                          () -> MigrationOnFakesTest.ack(w.world(), w.sageMaker()).migrate())
                      .isInstanceOf(InjectedFault.class);
                  w.world().faults().clear();
                  MigrationOnFakesTest.ack(w.world(), w.sageMaker()).migrate();
                  assertThat(WorldState.of(w.world(), REGION)).isEqualTo(reference);
                  assertThat(w.sageMaker().resources).isEqualTo(sageMaker);
                  assertThat(w.sageMaker().calls).allMatch(c -> c.startsWith("Describe"));
                  w.world().log().clear();
                  MigrationOnFakesTest.ack(w.world(), w.sageMaker()).migrate();
                  assertThat(w.world().log().writes()).isEmpty();
                }));
      }
    }
    return tests;
  }
}
