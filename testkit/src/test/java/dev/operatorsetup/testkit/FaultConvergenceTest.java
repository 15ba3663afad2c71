package dev.operatorsetup.testkit;

import static dev.operatorsetup.testkit.Example.CLUSTER;
import static dev.operatorsetup.testkit.Example.ISSUER;
import static dev.operatorsetup.testkit.Example.REGION;
import static dev.operatorsetup.testkit.Example.ROLE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * For every write a clean install makes: a run that dies right before it, and one that dies right
 * after it, each followed by a re-run, end in the same state as an undisturbed install.
 */
class FaultConvergenceTest {
  static final FaultSuites SUITES =
      new FaultSuites(
          () -> {
            FakeWorld world = new FakeWorld();
            world.aws().addCluster(REGION, CLUSTER, ISSUER);
            return world;
          },
          world -> world.setup(CLUSTER, REGION, ROLE),
          REGION,
          ROLE);

  @TestFactory
  List<DynamicTest> aFaultAtEveryWriteThenAReRunConverges() {
    List<String> writes = SUITES.writesOfACleanInstall();
    assertThat(writes).hasSizeGreaterThanOrEqualTo(21);
    return SUITES.aFaultAtEveryInstallWrite(writes);
  }

  @TestFactory
  List<DynamicTest> aFaultAtEveryUninstallWriteThenAReRunConverges() {
    return SUITES.aFaultAtEveryUninstallWrite();
  }
}
