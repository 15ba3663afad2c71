package dev.operatorsetup.testkit;

import org.junit.jupiter.api.RepeatedTest;

/** Two installs of the same cluster at once converge to the state of one install. */
class ConcurrentInstallTest {
  @RepeatedTest(5)
  void twoInstallsAtOnceBothSucceedWithOneSetOfResources() throws Exception {
    FaultConvergenceTest.SUITES.twoInstallsAtOnceConverge();
  }
}
