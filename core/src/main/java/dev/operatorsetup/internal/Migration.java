package dev.operatorsetup.internal;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.ResourceConflictException;
import dev.operatorsetup.internal.migrate.AckObjects;
import dev.operatorsetup.internal.migrate.LegacyInstall;
import dev.operatorsetup.internal.migrate.LegacyInventory;
import dev.operatorsetup.internal.migrate.LegacyMoves;
import dev.operatorsetup.model.Change;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.RoleSpec;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.targets.ChartValues;
import dev.operatorsetup.targets.OperatorTarget;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Moves a cluster from the legacy operator to the ACK SageMaker controller without a write to
 * SageMaker: reads everything and refuses before the first write; then installs ACK, creates an ACK
 * object adopting each SageMaker resource, stops the legacy controller, removes each legacy
 * object's finalizer and deletes it, and uninstalls the legacy operator. Every part looks before it
 * writes, so a re-run after a crash anywhere goes on from where the last run stopped.
 */
public final class Migration {
  private final Settings ack;
  private final Ports ports;

  /**
   * @param ack the settings of the ACK side (target ACK, the ACK controller's role)
   */
  public Migration(Settings ack, Ports ports) {
    this.ack = ack;
    this.ports = ports;
  }

  /** Every change the migration would make; writes nothing. */
  public InstallReport plan() {
    return run(false);
  }

  public InstallReport migrate() {
    return run(true);
  }

  private InstallReport run(boolean apply) {
    Run run = new Run(apply ? "migrate" : "plan-migration", ack, ports, apply);
    Facts facts = run.step("context", "read the account and the cluster", () -> Facts.read(run));
    FoundCluster cluster = facts.requireCluster(ack);
    List<KubeObject> chart =
        run.step(
            "render",
            "render the ACK chart",
            () -> Rendering.render(ack, facts, Rendering.load(ack), false));
    Map<String, KubeObject> crds =
        chart.stream()
            .filter(o -> o.kind().equals("CustomResourceDefinition"))
            .collect(Collectors.toMap(KubeObject::name, o -> o, (a, b) -> a, LinkedHashMap::new));
    try (Kubernetes k8s =
        run.step(
            "kubernetes",
            "connect to the cluster's API server",
            () -> ports.kubernetes().orElseThrow().connect(facts.described().orElseThrow()))) {
      LegacyInstall legacy =
          run.step(
              "legacy", "find the legacy operator", () -> LegacyInstall.find(run, k8s, cluster));
      refuseOwnRole(legacy);
      LegacyInventory inventory =
          run.step(
              "inventory",
              "read every legacy custom resource and look it up in SageMaker",
              () -> LegacyInventory.read(run, k8s, new AckObjects(crds)));
      refuseBeforeWrites(inventory);
      // Every precondition holds: from here on, writes (or, for a plan, what they would be).
      InstallReport installed =
          apply ? new Engine(ack, ports).install() : new Engine(ack, ports).plan();
      installed.changes().forEach(run::record);
      LegacyMoves moves = new LegacyMoves(run, k8s);
      moves.adopt(inventory);
      moves.stopControllers(legacy);
      moves.removeLegacyObjects(inventory);
      uninstallLegacy(run, legacy, inventory, installed);
    }
    return report(run, facts);
  }

  private void refuseOwnRole(LegacyInstall legacy) {
    if (legacy.roles().contains(ack.role().name())) {
      throw new InvalidConfigurationException(
          "role name",
          ack.role().name(),
          "the migration removes the legacy operator's role, so the ACK controller needs a role"
              + " of its own",
          "name another role for the ACK controller (withRole / --role)");
    }
  }

  private void refuseBeforeWrites(LegacyInventory inventory) {
    List<String> refusals = new java.util.ArrayList<>(inventory.refusals());
    refusals.addAll(unwatched(inventory));
    if (!refusals.isEmpty()) {
      throw new ResourceConflictException(
          "migrate refused before any change; nothing was written. "
              + refusals.size()
              + " legacy object(s) cannot move to ACK:\n  - "
              + String.join("\n  - ", refusals));
    }
  }

  /**
   * Legacy objects in namespaces a namespace-scoped ACK controller would not watch: their ACK
   * objects would never be adopted.
   */
  private List<String> unwatched(LegacyInventory inventory) {
    ChartValues chart = ack.chart();
    if (!chart.installScope().map("namespace"::equals).orElse(false)) {
      return List.of();
    }
    List<String> out = new java.util.ArrayList<>();
    for (LegacyInventory.Item item : inventory.items()) {
      String ns = item.legacy().namespace().orElse("default");
      if (!item.adoptions().isEmpty() && !chart.watchNamespaces().contains(ns)) {
        out.add(
            item.label()
                + ": the ACK controller is to watch only "
                + chart.watchNamespaces()
                + ", so its ACK objects in "
                + ns
                + " would never be adopted. Fix: add watchNamespace(\""
                + ns
                + "\") (--watch-namespace "
                + ns
                + "), or install the controller cluster-wide.");
      }
    }
    return out;
  }

  /** The legacy operator's uninstall, by the uninstall rules (what operator-setup made). */
  private void uninstallLegacy(
      Run run, LegacyInstall legacy, LegacyInventory inventory, InstallReport installed) {
    if (!legacy.present()) {
      run.record(
          Change.of("legacy-operator", ChangeAction.UNCHANGED, "not installed (nothing left)"));
      return;
    }
    Set<String> done =
        inventory.items().stream()
            .map(i -> LegacyMoves.resource(i.legacy()))
            .collect(Collectors.toSet());
    Set<String> ackOwns =
        installed.changes().stream().map(Change::resource).collect(Collectors.toSet());
    List<String> roles = legacy.roles().isEmpty() ? List.of(ack.role().name()) : legacy.roles();
    for (int i = 0; i < roles.size(); i++) {
      Settings legacySettings =
          new Settings.Builder()
              .from(ack)
              .target(OperatorTarget.legacy())
              .serviceAccount(legacy.serviceAccount())
              .manifest(OperatorTarget.legacy().defaultSource())
              .role(new RoleSpec.Builder().name(roles.get(i)).build())
              .chart(ChartValues.none())
              .imageOverrides(Map.of())
              // No legacy role left: only the cluster's part; each further role: only IAM.
              .kubernetesOnly(legacy.roles().isEmpty())
              .awsOnly(i > 0)
              .build();
      Engine engine = new Engine(legacySettings, ports);
      InstallReport removed = run.apply() ? engine.uninstall() : engine.planUninstall();
      for (Change c : removed.changes()) {
        if (done.contains(c.resource())) {
          continue;
        }
        // A plan cannot see the ACK role yet: what the ACK install uses is kept, as uninstall will.
        boolean shared = !run.apply() && ackOwns.contains(c.resource());
        run.record(
            shared
                ? Change.of(c.resource(), ChangeAction.UNCHANGED, "kept: the ACK install uses it")
                : c);
      }
    }
  }

  private InstallReport report(Run run, Facts facts) {
    return new InstallReport.Builder()
        .command(run.command())
        .cluster(ack.cluster().name())
        .region(ack.cluster().region())
        .account(facts.account())
        .roleArn(facts.roleArn().toString())
        .oidcProviderArn(facts.cluster().map(c -> c.providerArn().toString()))
        .serviceAccount(ack.serviceAccount().namespace() + "/" + ack.serviceAccount().name())
        .addAllChanges(run.changes())
        .durationMillis(run.deadline().elapsed().toMillis())
        .build();
  }
}
