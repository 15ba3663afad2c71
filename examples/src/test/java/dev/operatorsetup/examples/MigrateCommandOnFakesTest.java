package dev.operatorsetup.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.operatorsetup.testkit.FakeWorld;
import dev.operatorsetup.testkit.LegacyFixtures;
import dev.operatorsetup.testkit.LegacyFixtures.Legacy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code operator-setup migrate} in process on the fakes: --dry-run writes nothing and names every
 * change, a never-submitted legacy object exits 3 naming it with nothing written, a migration
 * followed by a second one that changes nothing.
 */
class MigrateCommandOnFakesTest {
  static final String CLUSTER = CommandBadInputTest.CLUSTER;
  static final String REGION = CommandBadInputTest.REGION;
  static final String ACK_ROLE = CommandBadInputTest.ROLE;
  static final String NS = "ml-team";

  private final FakeWorld world = new FakeWorld();

  private InProcess migrate(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of("migrate", "--cluster", CLUSTER, "--region", REGION, "--role", ACK_ROLE));
    args.addAll(List.of(more));
    return InProcess.run(world, REGION, args);
  }

  private void legacyCluster(Legacy... extra) {
    world.addCluster(CLUSTER, REGION);
    world.setup(CLUSTER, REGION, "legacy-operator").install();
    world
        .kubernetes()
        .apply(dev.operatorsetup.testkit.LegacyFixtures.namespace(NS), "kubectl", false);
    List<Legacy> all = new ArrayList<>(List.of(extra));
    all.add(LegacyFixtures.trainingJob(NS, "xgboost-train", REGION, "xgboost-train-1a2b"));
    for (Legacy l : all) {
      world.kubernetes().apply(l.object(), "kubectl", false);
      world.kubernetes().putStatus(l.object().ref(), l.status());
      for (LegacyFixtures.SageMakerResource r : l.sageMaker()) {
        Map<String, Object> described = new LinkedHashMap<>(r.create());
        described.put("TrainingJobStatus", "InProgress");
        world.aws().putSageMaker(REGION, r.kind(), described);
      }
    }
    world.log().clear();
  }

  @Test
  void dryRun_namesEveryChange_andWritesNothing() {
    legacyCluster();

    InProcess plan = migrate("--dry-run");

    System.out.println(plan.out());
    assertThat(plan.exit()).as(plan.err()).isZero();
    assertThat(plan.out())
        .contains("create", "kubernetes:TrainingJob " + NS + "/xgboost-train")
        .contains("adopts SageMaker training job xgboost-train-1a2b")
        .contains("scale to 0")
        .contains("plan-migration: would change");
    assertThat(world.log().writes()).isEmpty();
  }

  @Test
  void aNeverSubmittedObject_exitsThreeNamingIt_andWritesNothing() throws Exception {
    legacyCluster(LegacyFixtures.unsubmittedTrainingJob(NS, "draft", REGION));

    InProcess text = migrate();

    assertThat(text.exit()).as(text.err()).isEqualTo(3);
    assertThat(text.err()).contains("TrainingJob " + NS + "/draft: never submitted");
    assertThat(text.err()).doesNotContain("\tat ");

    InProcess json = migrate("--output", "json");
    assertThat(json.exit()).isEqualTo(3);
    JsonNode doc = CommandBadInputTest.onlyJsonDocument("refused", json.out());
    assertThat(doc.path("command").asText()).isEqualTo("migrate");
    assertThat(doc.path("error").path("exitCode").asInt()).isEqualTo(3);
    assertThat(world.log().writes()).isEmpty();
  }

  @Test
  void migrate_thenASecondMigrate_changesNothing() {
    legacyCluster();

    InProcess first = migrate();
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out()).contains("migrate: changed");

    world.log().clear();
    InProcess second = migrate();
    assertThat(second.exit()).as(second.err()).isZero();
    assertThat(second.out()).containsPattern("migrate: changed 0 of \\d+ resources");
    assertThat(world.log().writes()).isEmpty();
  }
}
