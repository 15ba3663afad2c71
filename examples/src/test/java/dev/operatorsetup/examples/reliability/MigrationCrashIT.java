package dev.operatorsetup.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operatorsetup.aws.AwsPorts;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.model.Role;
import dev.operatorsetup.port.AwsServices;
import dev.operatorsetup.testkit.LegacyFixtures;
import dev.operatorsetup.testkit.LegacyFixtures.Legacy;
import dev.operatorsetup.testkit.plane.RequiresControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migration dies at every one of its writes on the real emulators, and the runs after it
 * converge: the state of an undisturbed migration, nothing duplicated, SageMaker only read
 * (Describe outputs unchanged), and a last run that writes nothing.
 *
 * <p>The kills form a chain from one legacy cluster: each run dies at its first write, right before
 * it (the write is never made) and then right after it (made, the answer lost), so every write of
 * the migration is a kill point both ways and every run after a crash starts from the state a crash
 * left. Once in the JVM, at every write, with the adapters wrapped as {@link FaultsIT} does; once
 * with {@code bin/operator-setup} killed by SIGKILL at the proxies ({@link ProxiedCommand}), at
 * every Kth write ({@code -Dreliability.migration.every}, default 6) to keep CI's time. The fakes'
 * {@code MigrationFaultsTest} tries every write as an independent case.
 */
@RequiresControlPlane
class MigrationCrashIT {
  static final int EVERY = Integer.getInteger("reliability.migration.every", 6);

  @RegisterExtension static final Emulators em = new Emulators("x");
  private final MigrationWorld it = new MigrationWorld(em);

  @AfterEach
  void cleanUp() {
    it.cleanUp();
  }

  /** A legacy cluster with its objects and SageMaker resources, from an emptied moto. */
  private List<Legacy> legacyCluster(AwsServices aws) {
    em.moto.reset();
    return it.legacyCluster(aws, n -> List.of());
  }

  /** What a migration leaves: IAM, the ACK objects, and what is left of the legacy operator. */
  private List<String> state(AwsServices aws) {
    List<String> out = new ArrayList<>();
    for (String name : new TreeMap<>(aws.roles().trustPolicies()).keySet()) {
      Role role = aws.roles().find(name).orElseThrow();
      out.add(
          "role "
              + name
              + " trust="
              + role.trustPolicy().normalized().toCompactJson()
              + " policies="
              + role.attachedPolicies().stream().map(Arn::toString).sorted().toList()
              + " tags="
              + new TreeMap<>(role.tags()));
    }
    aws.oidcProviders().list().forEach(p -> out.add("provider " + p));
    for (String kind : List.of("TrainingJob", "Model", "EndpointConfig", "Endpoint")) {
      for (KubeObject o : em.kube.list(MigrationWorld.ACK_GROUP_VERSION, kind, it.ns(), Map.of())) {
        out.add(
            "ack "
                + kind
                + " "
                + o.name()
                + " "
                + new TreeMap<>(o.annotations())
                + " spec="
                + o.json().path("spec"));
      }
    }
    for (String crd : LegacyFixtures.CRDS) {
      out.add("legacy crd " + crd + " " + em.kube.get(LegacyFixtures.crd(crd)).isPresent());
    }
    for (String ns : List.of(MigrationWorld.LEGACY_NS, "ack-system", it.ns())) {
      out.add(
          "namespace "
              + ns
              + " "
              + em.kube.get(ObjectRef.of("v1", "Namespace", null, ns)).isPresent());
    }
    out.add(
        "ack deployments "
            + em.kube.list("apps/v1", "Deployment", "ack-system", Map.of()).stream()
                .map(d -> d.name() + " replicas=" + d.json().at("/spec/replicas"))
                .toList());
    return out;
  }

  private record Reference(List<String> state, List<String> writes) {}

  private static int intersection(java.util.Set<String> a, java.util.Set<String> b) {
    if (a == null) {
      return 0;
    }
    java.util.Set<String> both = new java.util.TreeSet<>(a);
    both.retainAll(b);
    return both.size();
  }

  /** An undisturbed migration's state and write count. */
  private Reference reference(AwsPorts aws) {
    legacyCluster(aws);
    WriteFaults counted = new WriteFaults();
    MigrationWorld.ack(counted.aws(aws), counted.kubernetes(em.kube)).migrate();
    Reference ref = new Reference(state(aws), counted.writes());
    it.cleanUp();
    em.deleteNamespace(it.ns());
    em.awaitNamespaceDeleted(it.ns());
    return ref;
  }

  @Test
  void inTheJvm_aCrashBeforeAndAfterEveryWrite_thenTheNextRunsConverge() {
    try (AwsPorts aws = it.aws()) {
      Reference ref = reference(aws);
      List<Legacy> legacy = legacyCluster(aws);
      Map<String, Optional<Map<String, Object>>> sageMaker =
          MigrationWorld.describeAll(aws, legacy);
      long start = System.nanoTime();
      int runs = 0;
      Map<WriteFaults.When, java.util.Set<String>> killedAt =
          new java.util.EnumMap<>(WriteFaults.When.class);
      while (true) {
        runs++;
        assertThat(runs).as("runs of the chain").isLessThan(3 * ref.writes().size() + 5);
        WriteFaults faults = new WriteFaults();
        WriteFaults.When when = runs % 2 == 1 ? WriteFaults.When.BEFORE : WriteFaults.When.AFTER;
        faults.failAt(1, when);
        try {
          MigrationWorld.ack(faults.aws(aws), faults.kubernetes(em.kube)).migrate();
          assertThat(faults.writes()).as("writes of the run that finished the chain").isEmpty();
          break;
        } catch (WriteFaults.ProcessDied died) {
          assertThat(died.getMessage()).contains(" write 1: ");
          String write = died.getMessage().substring(died.getMessage().indexOf(": ") + 2);
          killedAt.computeIfAbsent(when, w -> new java.util.TreeSet<>()).add(write);
        }
      }
      java.util.Set<String> clean = new java.util.TreeSet<>(ref.writes());
      int before = intersection(killedAt.get(WriteFaults.When.BEFORE), clean);
      int after = intersection(killedAt.get(WriteFaults.When.AFTER), clean);
      System.out.println(
          "[MigrationCrashIT] in the JVM: a clean migrate makes "
              + ref.writes().size()
              + " writes ("
              + clean.size()
              + " distinct); the chain killed "
              + (runs - 1)
              + " runs, right before "
              + before
              + " and right after "
              + after
              + " of them (the others landed beside a killed write: a stage's objects are"
              + " applied concurrently), in "
              + Duration.ofNanos(System.nanoTime() - start).toSeconds()
              + " s");
      assertThat(before + after).isPositive();
      assertThat(state(aws)).isEqualTo(ref.state());
      assertThat(MigrationWorld.describeAll(aws, legacy)).isEqualTo(sageMaker);
      assertThat(it.sageMakerCalls()).isNotEmpty().allMatch(c -> c.startsWith("Describe"));
    }
  }

  @Test
  void theCommand_killedWithSigkillAtEveryKthWrite_thenTheNextRunsConverge(@TempDir Path dir) {
    try (AwsPorts aws = it.aws();
        ProxiedCommand command = new ProxiedCommand(em, dir)) {
      Reference ref = reference(aws);
      List<Legacy> legacy = legacyCluster(aws);
      Map<String, Optional<Map<String, Object>>> sageMaker =
          MigrationWorld.describeAll(aws, legacy);
      List<String> args = MigrationWorld.migrateArgs(command);
      long start = System.nanoTime();
      int runs = 0;
      int kills = 0;
      while (true) {
        runs++;
        assertThat(runs).as("runs of the chain").isLessThan(2 * ref.writes().size() / EVERY + 10);
        WriteLog.Kill when = runs % 2 == 1 ? WriteLog.Kill.IN_FLIGHT : WriteLog.Kill.AFTER_ANSWER;
        WriteLog log = new WriteLog().killAt(EVERY, when);
        ProxiedCommand.Run run = command.run(args, log);
        if (run.exit() == 0) {
          break;
        }
        kills++;
        assertThat(log.writes()).as(run.output()).hasSizeGreaterThanOrEqualTo(EVERY);
        assertThat(log.writes()).noneMatch(w -> w.toString().contains("SageMaker."));
      }
      ProxiedCommand.Run last = command.run(args, new WriteLog()).requireSuccess();
      System.out.println(
          "[MigrationCrashIT] the command: "
              + kills
              + " SIGKILLs at every "
              + EVERY
              + "th write, "
              + runs
              + " runs, "
              + Duration.ofNanos(System.nanoTime() - start).toSeconds()
              + " s");
      assertThat(kills).isPositive();
      assertThat(last.log().writes()).as("writes of a run after the chain").isEmpty();
      assertThat(state(aws)).isEqualTo(ref.state());
      assertThat(MigrationWorld.describeAll(aws, legacy)).isEqualTo(sageMaker);
    }
  }
}
