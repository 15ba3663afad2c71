package dev.operatorsetup.bench;

import static dev.operatorsetup.bench.Markdown.fmt;

import java.util.Locale;

/** The ack section's Markdown: the installs side by side, where their time goes, the render. */
final class AckTables {
  private AckTables() {}

  static String installTable(AckInstalls.Results r) {
    StringBuilder b = new StringBuilder();
    b.append("### ACK SageMaker controller: the ACK docs' procedure vs operator-setup\n\n");
    b.append(
        String.format(
            Locale.ROOT,
            "Chart %s as bundled with operator-setup (byte-identical to the release's), release"
                + " `ack-sagemaker-controller` in `ack-system`: %d objects, %d of them CRDs. Each"
                + " install starts clean: a new EKS cluster in moto with its own OIDC issuer, a new"
                + " role, none of the chart's objects on the control plane (cleanup between runs,"
                + " `helm uninstall` after the manual procedure, then every object of the chart"
                + " deleted and awaited, took a median of %s, outside the timings). The rounds"
                + " interleave the methods.%n%n",
            r.chartVersion,
            r.objects,
            r.crds,
            fmt(r.wipes.median())));
    rows(b, r);
    b.append(
        String.format(
            Locale.ROOT,
            "%nIn the cold runs the engine itself (the report's durationMillis) took a median of"
                + " %s; the other %s is the JVM. Before the rounds, one more cold run took %s (not"
                + " in the medians)%s.%n%n",
            fmt(r.coldEngine.median()),
            fmt(r.cold.median() - r.coldEngine.median()),
            fmt(r.firstRun.wallMillis()),
            r.firstRun.recorded()
                ? String.format(
                    Locale.ROOT,
                    ": the first of the newly built jar, it recorded the launcher's AppCDS archive"
                        + " (%d classes)",
                    r.firstRun.classes())
                : "; the launcher's AppCDS archive was there already (recorded by an earlier run"
                    + " of the jar)"));
    return b.toString();
  }

  private static void rows(StringBuilder b, AckInstalls.Results r) {
    double manual = r.manual.median();
    b.append("| method | runs | median | min | max | speed-up vs manual |\n");
    b.append("|---|---:|---:|---:|---:|---:|\n");
    Markdown.row(
        b,
        "ACK docs' procedure: `bench/ack-procedure.sh` (6 aws processes, `helm install` of the"
            + " chart directory, `kubectl wait` on the CRDs, `kubectl rollout status`)",
        r.manual.count() + "",
        r.manual,
        1.0);
    Markdown.row(
        b,
        "operator-setup in one JVM, warm, clients shared across installs"
            + " (`withTarget(OperatorTarget.ack())`)",
        r.warm.count() + " (+" + r.warmups + " warm-up)",
        r.warm,
        manual / r.warm.median());
    Markdown.row(
        b,
        "operator-setup in one JVM, warm, new clients per install (`withAwsEndpoint`,"
            + " `withKubeconfig`)",
        r.fresh.count() + "",
        r.fresh,
        manual / r.fresh.median());
    Markdown.row(
        b,
        "`bin/operator-setup install --target ack` (cold JVM, as a user runs it, the launcher's"
            + " defaults and AppCDS archive)",
        r.cold.count() + "",
        r.cold,
        manual / r.cold.median());
  }

  static String whereTimeGoes(AckInstalls.Results r) {
    StringBuilder b = new StringBuilder();
    b.append("### ACK: where the time goes (medians over the measured runs)\n\n");
    b.append(
        "ACK docs' procedure, per step (from the step marks of `bench/ack-procedure.sh`):\n\n");
    Markdown.phaseTable(b, r.manualPhases, r.manual.median());
    b.append(
        "\noperator-setup in one JVM, warm, ACK target: the wall time during which calls of each"
            + " kind were in flight (calls made at the same time count once), and the engine's own"
            + " time (its render step is Helm's, in this JVM):\n\n");
    Markdown.phaseTable(b, r.warmPhases, r.warm.median());
    b.append("\n");
    return b.toString();
  }

  static String renderTable(RenderCost.Results r, int warmPerJvm) {
    StringBuilder b = new StringBuilder();
    b.append("### ACK: the cost of rendering the chart\n\n");
    b.append(
        String.format(
            Locale.ROOT,
            "%d fresh JVMs (`java -cp operator-setup-bench.jar %s`, the JDK's default options),"
                + " each rendering the bundled chart with `HelmCharts.renderer()` once and then %d"
                + " times more (%d objects: the templates and `crds/`); then, in the benchmark's"
                + " JVM, the same render and the library's `renderObjects()` for the ACK target,"
                + " %d times each.%n%n",
            r.first.count(),
            RenderProbe.class.getSimpleName(),
            warmPerJvm,
            r.objects,
            warmPerJvm));
    b.append("| what | samples | median | min | max |\n|---|---:|---:|---:|---:|\n");
    Markdown.row(b, "JVM start until `main` (for scale)", r.jvmStart);
    Markdown.row(
        b,
        "bundled chart, first `Charts.bundled().resolve()` in the JVM (extract, check sha256)",
        r.chart);
    Markdown.row(
        b,
        "**first render** in a fresh JVM: `HelmCharts.renderer().render(...)` (loads Helm's"
            + " native library, about 98 MB, from ~/.cache/operator-setup/helm-java, copied"
            + " there by the first process; then renders)",
        r.first);
    Markdown.row(b, "**warm render**: the same call again in those JVMs", r.warm);
    Markdown.row(
        b, "warm render in the benchmark's JVM (warm after the section's installs)", r.here);
    Markdown.row(
        b,
        "library `renderObjects()`, ACK target, warm (also reads the account and the cluster"
            + " from moto, and patches the objects: "
            + r.libraryObjects
            + ")",
        r.library);
    b.append("\n");
    return b.toString();
  }
}
