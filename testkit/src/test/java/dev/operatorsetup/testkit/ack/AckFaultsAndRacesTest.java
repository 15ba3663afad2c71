package dev.operatorsetup.testkit.ack;

import static dev.operatorsetup.testkit.ack.AckOnFakesTest.CLUSTER;
import static dev.operatorsetup.testkit.ack.AckOnFakesTest.REGION;
import static dev.operatorsetup.testkit.ack.AckOnFakesTest.ROLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.operatorsetup.testkit.FakeWorld;
import dev.operatorsetup.testkit.FaultSuites;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Today's fault and race suites for the ACK target: a fault before and after every write of a clean
 * ACK install and before every write of its uninstall, each followed by a re-run that reaches the
 * undisturbed state with nothing duplicated (and, for install, a run with zero writes); two ACK
 * installs at once converge.
 */
class AckFaultsAndRacesTest {
  /** Every world's cluster has the same issuer, so that their states compare. */
  static final String ISSUER =
      "https://oidc.eks.us-west-2.amazonaws.com/id/ACCFA0175ACCFA0175ACCFA0175ACCFA";

  static final FaultSuites SUITES =
      new FaultSuites(
          () -> {
            FakeWorld world = new FakeWorld();
            world.aws().addCluster(REGION, CLUSTER, ISSUER);
            return world;
          },
          AckOnFakesTest::ack,
          REGION,
          ROLE);

  @TestFactory
  List<DynamicTest> aFaultAtEveryInstallWriteThenAReRunConverges() {
    List<String> writes = SUITES.writesOfACleanInstall();
    assertThat(writes).hasSizeGreaterThan(40);
    return SUITES.aFaultAtEveryInstallWrite(writes);
  }

  @TestFactory
  List<DynamicTest> aFaultAtEveryUninstallWriteThenAReRunConverges() {
    return SUITES.aFaultAtEveryUninstallWrite();
  }

  @RepeatedTest(3)
  void twoAckInstallsAtOnceConvergeToOne() throws Exception {
    SUITES.twoInstallsAtOnceConverge();
  }
}
