package dev.operatorsetup.testkit;

import static dev.operatorsetup.testkit.Example.CLUSTER;
import static dev.operatorsetup.testkit.Example.ISSUER;
import static dev.operatorsetup.testkit.Example.REGION;
import static dev.operatorsetup.testkit.Example.ROLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.operatorsetup.model.InstallReport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.RepeatedTest;

/** Two installs of the same cluster at once converge to the state of one install. */
class ConcurrentInstallTest {

  @RepeatedTest(5)
  void twoInstallsAtOnceBothSucceedWithOneSetOfResources() throws Exception {
    FakeWorld reference = new FakeWorld();
    reference.aws().addCluster(REGION, CLUSTER, ISSUER);
    reference.setup(CLUSTER, REGION, ROLE).install();

    FakeWorld world = new FakeWorld();
    world.aws().addCluster(REGION, CLUSTER, ISSUER);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<InstallReport>> runs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      runs.add(
          pool.submit(
              () -> {
                go.await();
                return world.setup(CLUSTER, REGION, ROLE).install();
              }));
    }
    go.countDown();
    for (Future<InstallReport> run : runs) {
      assertThat(run.get().roleArn()).isPresent();
    }
    pool.shutdown();

    assertThat(world.aws().roleNames()).containsExactly(ROLE);
    assertThat(world.aws().providerArns()).hasSize(1);
    assertThat(WorldState.of(world, REGION)).isEqualTo(WorldState.of(reference, REGION));
    world.log().clear();
    assertThat(world.setup(CLUSTER, REGION, ROLE).install().changed()).isFalse();
    assertThat(world.log().writes()).isEmpty();
  }
}
