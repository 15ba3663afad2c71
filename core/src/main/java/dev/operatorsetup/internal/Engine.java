package dev.operatorsetup.internal;

import dev.operatorsetup.internal.check.Checker;
import dev.operatorsetup.internal.step.CustomResourceStep;
import dev.operatorsetup.internal.step.HelmRelease;
import dev.operatorsetup.internal.step.ManifestStep;
import dev.operatorsetup.internal.step.OidcProviderStep;
import dev.operatorsetup.internal.step.PodRestartStep;
import dev.operatorsetup.internal.step.PolicyStep;
import dev.operatorsetup.internal.step.RoleStep;
import dev.operatorsetup.internal.step.Step;
import dev.operatorsetup.model.Check;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.targets.IdentityMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The orchestrator: it reads the facts, checks the preconditions before the first write, and walks
 * the steps in order (install, plan), in reverse (uninstall), or asks each for its findings
 * (verify, diagnose). It knows no operator by name: the {@link
 * dev.operatorsetup.targets.OperatorTarget} says what to apply and wait for.
 */
public final class Engine {
  private final Settings s;
  private final Ports ports;

  public Engine(Settings settings, Ports ports) {
    this.s = settings;
    this.ports = ports;
  }

  /** The steps in install order, for the identity mode. */
  static List<Step> steps(IdentityMode identity) {
    if (!(identity instanceof IdentityMode.Irsa)) {
      throw new IllegalStateException("no steps for identity mode " + identity);
    }
    return List.of(
        new OidcProviderStep(),
        new RoleStep(),
        new PolicyStep(),
        new ManifestStep(),
        new CustomResourceStep(),
        new PodRestartStep());
  }

  public InstallReport plan() {
    return converge("plan", false);
  }

  public InstallReport install() {
    return converge("install", true);
  }

  private InstallReport converge(String command, boolean apply) {
    Run run = new Run(command, s, ports, apply);
    Facts facts = run.step("context", "read the account and the cluster", () -> Facts.read(run));
    facts.requireCluster(s);
    Rendering.Loaded manifest =
        s.awsOnly()
            ? null
            : run.step("manifest", "load the installer manifest", () -> Rendering.load(s));
    Scope scope = new Scope(facts);
    Preconditions.check(run, scope);
    try (Connection connection = connect(run, scope, manifest)) {
      HelmRelease.check(run, scope);
      // Every precondition holds: from here on, writes.
      for (Step step : steps(s.identity())) {
        step.converge(run, scope);
      }
    }
    return report(run, facts, List.of());
  }

  /** Deletes what operator-setup created, custom resources first; keeps what existed before. */
  public InstallReport uninstall() {
    return uninstall(true);
  }

  /** What {@link #uninstall()} would delete and keep, writing nothing. */
  public InstallReport planUninstall() {
    return uninstall(false);
  }

  private InstallReport uninstall(boolean apply) {
    Run run = new Run(apply ? "uninstall" : "plan-uninstall", s, ports, apply);
    Facts facts = run.step("context", "read the account and the cluster", () -> Facts.read(run));
    Scope scope = new Scope(facts);
    boolean onCluster = !s.awsOnly() && facts.described().isPresent();
    try (Connection connection = connect(run, scope, onCluster ? Rendering.load(s) : null)) {
      List<Step> reverse = new ArrayList<>(steps(s.identity()));
      Collections.reverse(reverse);
      for (Step step : reverse) {
        if (s.kubernetesOnly() && step.aws()) {
          continue;
        }
        step.uninstall(run, scope);
      }
    }
    return report(run, facts, List.of());
  }

  /** Checks every link of the installation with the caller's settings. */
  public InstallReport verify() {
    return check("verify");
  }

  /** Reads an installation made by anyone and checks every link of the chain. */
  public InstallReport diagnose() {
    return check("diagnose");
  }

  private InstallReport check(String command) {
    Run run = new Run(command, s, ports, false);
    Facts facts = run.step("context", "read the account and the cluster", () -> Facts.read(run));
    Scope scope = new Scope(facts);
    List<Check> findings = Checker.clusterFindings(facts, s);
    if (facts.cluster().isEmpty()) {
      return report(run, facts, findings);
    }
    Rendering.Loaded manifest = s.awsOnly() ? null : Rendering.load(s);
    try (Connection connection = connect(run, scope, manifest, false)) {
      List<Check> all = new ArrayList<>(findings);
      all.addAll(Checker.findings(run, scope, steps(s.identity())));
      return report(run, facts, all);
    }
  }

  /** Returns the target's objects in apply order, without connecting to Kubernetes. */
  public List<KubeObject> render(boolean convertCrds) {
    Run run = new Run("render", s, ports, false);
    Facts facts = Facts.read(run);
    return Rendering.render(s, facts, Rendering.load(s), convertCrds);
  }

  /** The connection to the API server, if the run has one; closing it closes the client. */
  private record Connection(Kubernetes kubernetes) implements AutoCloseable {
    @Override
    public void close() {
      if (kubernetes != null) {
        kubernetes.close();
      }
    }
  }

  private Connection connect(Run run, Scope scope, Rendering.Loaded manifest) {
    return connect(run, scope, manifest, true);
  }

  /** Connects to the cluster and renders the target for it, unless there is no manifest. */
  private Connection connect(Run run, Scope scope, Rendering.Loaded manifest, boolean events) {
    if (manifest == null) {
      return new Connection(null);
    }
    var info = scope.facts().described().orElseThrow();
    Kubernetes k8s =
        events
            ? run.step(
                "kubernetes",
                "connect to the cluster's API server",
                () -> ports.kubernetes().orElseThrow().connect(info))
            : ports.kubernetes().orElseThrow().connect(info);
    try {
      boolean convert = events && Rendering.convertCrds(run, k8s);
      List<KubeObject> desired =
          events
              ? run.step(
                  "render",
                  "patch the manifest",
                  () -> Rendering.render(s, scope.facts(), manifest, convert))
              : Rendering.render(s, scope.facts(), manifest, false);
      scope.connect(k8s, desired);
      return new Connection(k8s);
    } catch (RuntimeException e) {
      k8s.close();
      throw e;
    }
  }

  private InstallReport report(Run run, Facts facts, List<Check> checks) {
    return new InstallReport.Builder()
        .command(run.command())
        .cluster(s.cluster().name())
        .region(s.cluster().region())
        .account(facts.account())
        .roleArn(facts.roleArn().toString())
        .oidcProviderArn(facts.cluster().map(c -> c.providerArn().toString()))
        .serviceAccount(s.serviceAccount().namespace() + "/" + s.serviceAccount().name())
        .addAllChanges(run.changes())
        .addAllChecks(checks)
        .durationMillis(run.deadline().elapsed().toMillis())
        .build();
  }
}
