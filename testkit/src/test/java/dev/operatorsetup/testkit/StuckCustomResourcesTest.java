package dev.operatorsetup.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.KubeObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Uninstall gives the operator one grace period (30 s at most) to clean up the custom resources it
 * deleted, all of them together: not one grace period per resource, which made {@code
 * removeFinalizers()} take 30 s per stuck resource (20 stuck jobs of a dead operator overran the
 * default 10 minute timeout).
 */
@ExtendWith(FakeWorldExtension.class)
class StuckCustomResourcesTest {
  static final String REGION = "us-east-1";
  static final String CLUSTER = "FSxL-Persistent-Cluster";
  static final String ROLE = "eks-fsx-cluster-role";
  static final String NS = "sagemaker-k8s-operator-system";

  private static KubeObject stuckJob(String name) {
    return KubeObject.parse(
        "{\"apiVersion\":\"sagemaker.aws.amazon.com/v1\",\"kind\":\"TrainingJob\",\"metadata\":{\"name\":\""
            + name
            + "\",\"namespace\":\""
            + NS
            + "\",\"finalizers\":[\"sagemaker-operator-finalizer\"]},"
            + "\"spec\":{\"region\":\"us-east-1\",\"roleArn\":\"arn:aws:iam::123456789012:role/sm-exec\","
            + "\"algorithmSpecification\":{\"trainingImage\":\"811284229777.dkr.ecr.us-east-1.amazonaws.com/xgboost:1\","
            + "\"trainingInputMode\":\"File\"},\"outputDataConfig\":{\"s3OutputPath\":\"s3://b/out\"},"
            + "\"resourceConfig\":{\"instanceCount\":1,\"instanceType\":\"ml.m4.xlarge\",\"volumeSizeInGB\":5},"
            + "\"stoppingCondition\":{\"maxRuntimeInSeconds\":3600}}}");
  }

  @Test
  void stuckResources_shareOneGracePeriod_beforeTheirFinalizersAreDropped(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    List<KubeObject> before = world.kubernetes().objects();
    world.setup(CLUSTER, REGION, ROLE).install();
    for (String name : List.of("job-1", "job-2", "job-3")) {
      world.kubernetes().apply(stuckJob(name), "user", false);
    }

    InstallReport report = world.setup(CLUSTER, REGION, ROLE).removeFinalizers().uninstall();

    assertThat(report.changes(ChangeAction.DELETE))
        .extracting(c -> c.resource())
        .startsWith(
            "kubernetes:TrainingJob " + NS + "/job-1",
            "kubernetes:TrainingJob " + NS + "/job-2",
            "kubernetes:TrainingJob " + NS + "/job-3");
    assertThat(world.kubernetes().objects()).isEqualTo(before);
    // one grace period of 30 s for the three, not 3 x 30 s
    assertThat(Duration.ofMillis(report.durationMillis())).isLessThan(Duration.ofSeconds(50));
  }

  @Test
  void withoutRemoveFinalizers_everyStuckResourceIsNamed_withinTheTimeout(FakeWorld world) {
    world.addCluster(CLUSTER, REGION);
    world.setup(CLUSTER, REGION, ROLE).install();
    for (String name : List.of("job-1", "job-2", "job-3")) {
      world.kubernetes().apply(stuckJob(name), "user", false);
    }
    long start = System.nanoTime();

    assertThatThrownBy(
            () -> world.setup(CLUSTER, REGION, ROLE).withTimeout(Duration.ofSeconds(4)).uninstall())
        .hasMessageContaining(
            "[TrainingJob "
                + NS
                + "/job-1, TrainingJob "
                + NS
                + "/job-2, TrainingJob "
                + NS
                + "/job-3]")
        .hasMessageContaining("removeFinalizers");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
  }
}
