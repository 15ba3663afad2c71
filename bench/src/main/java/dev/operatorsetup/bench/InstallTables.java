package dev.operatorsetup.bench;

import static dev.operatorsetup.bench.Markdown.fmt;
import static dev.operatorsetup.bench.Markdown.row;

import java.util.Locale;
import java.util.Map;

/** The install section's Markdown: the methods side by side, and where their time goes. */
final class InstallTables {
  private InstallTables() {}

  /** The install table: every method's runs, median, spread and speed-up over the shell. */
  static String installTable(Installs.Results r, Samples wipes) {
    double seed = r.seed.median();
    StringBuilder b = new StringBuilder();
    b.append("### Install: the seed's shell procedure vs operator-setup\n\n");
    b.append(
        "Each install starts clean: a new EKS cluster in moto with its own OIDC issuer, a new role,"
            + " no installer object on the control plane (cleanup between runs took a median of "
            + fmt(wipes.median())
            + ", outside the timings). The rounds interleave the methods.\n\n");
    b.append("| method | runs | median | min | max | speed-up vs shell | target | met |\n");
    b.append("|---|---:|---:|---:|---:|---:|---|---|\n");
    row(
        b,
        "seed procedure: `bench/seed-procedure.sh` (6 aws + 3 kubectl processes, client-side apply)",
        r.seed.count() + "",
        r.seed,
        1.0,
        "",
        "");
    double warmRatio = seed / r.warm.median();
    row(
        b,
        "operator-setup in one JVM, warm, clients shared across installs",
        r.warm.count() + " (+" + r.warmups + " warm-up)",
        r.warm,
        warmRatio,
        "≥ 10×",
        warmRatio >= 10 ? "yes" : "**no**");
    row(
        b,
        "operator-setup in one JVM, warm, new clients per install (`withAwsEndpoint`, `withKubeconfig`)",
        r.fresh.count() + "",
        r.fresh,
        seed / r.fresh.median(),
        "",
        "");
    coldRows(b, r, seed);
    b.append("\n");
    b.append(
        String.format(
            Locale.ROOT,
            "In the cold runs the engine itself (the report's durationMillis) took a median of %s;"
                + " the other %s is the JVM: starting, loading the command's classes up to the"
                + " engine's first step, and exiting. %s\n\n",
            fmt(r.coldEngine.median()),
            fmt(r.cold.median() - r.coldEngine.median()),
            firstRun(r.firstRun)));
    return b.toString();
  }

  private static void coldRows(StringBuilder b, Installs.Results r, double seed) {
    double coldRatio = seed / r.cold.median();
    row(
        b,
        "`bin/operator-setup install` (cold JVM, as a user runs it, the launcher's defaults: `java"
            + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
            + " -XX:SharedArchiveFile=examples/target/operator-setup.jsa -jar"
            + " examples/target/operator-setup.jar`, the AppCDS archive its first run of the jar"
            + " recorded)",
        r.cold.count() + "",
        r.cold,
        coldRatio,
        "≥ 3×",
        coldRatio >= 3 ? "yes" : "**no**");
    if (r.withoutCds.count() > 0) {
      row(
          b,
          "`bin/operator-setup install`, cold JVM without the AppCDS archive"
              + " (`OPERATOR_SETUP_CDS=off`: `java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar"
              + " examples/target/operator-setup.jar`, only the JDK's own CDS archive)",
          r.withoutCds.count() + "",
          r.withoutCds,
          seed / r.withoutCds.median(),
          "",
          "");
    }
  }

  private static String firstRun(AppCdsExperiment.FirstRun first) {
    if (first.recorded()) {
      return String.format(
          Locale.ROOT,
          "Before the rounds, the command's first run of the newly built jar took %s (not in the"
              + " medians): it also recorded the launcher's AppCDS archive"
              + " (`-XX:ArchiveClassesAtExit`, %d classes).",
          fmt(first.wallMillis()),
          first.classes());
    }
    return String.format(
        Locale.ROOT,
        "Before the rounds, one more run took %s (not in the medians); it did not record the"
            + " launcher's AppCDS archive: one was there already for this jar (not rebuilt since).",
        fmt(first.wallMillis()));
  }

  /** Where the time goes: the shell's steps, the warm install's calls, the cold profile run. */
  static String whereTimeGoes(Installs.Results r) {
    StringBuilder b = new StringBuilder();
    b.append("### Where the time goes (medians over the measured runs)\n\n");
    b.append("Seed procedure, per step (from the step marks of `bench/seed-procedure.sh`):\n\n");
    Markdown.phaseTable(b, r.seedPhases, r.seed.median());
    b.append(
        "\noperator-setup in one JVM, warm: the wall time during which calls of each kind were in"
            + " flight (calls made at the same time count once; from a `ForwardingKubernetes` and"
            + " proxies around the AWS ports), and the engine's own time:\n\n");
    Markdown.phaseTable(b, r.warmPhases, r.warm.median());
    if (r.profile != null && !r.profile.phases.isEmpty()) {
      coldProfile(b, r.profile);
    }
    b.append("\n");
    return b.toString();
  }

  private static void coldProfile(StringBuilder b, ColdProfile p) {
    b.append(
        String.format(
            Locale.ROOT,
            "%n`bin/operator-setup install` in a cold JVM, one extra run (not in the medians above)"
                + " with the launcher's defaults and text output, from its progress lines (0.1 s"
                + " resolution above 1 s) and `-Xlog:class+load`: it loaded %d classes, %d of them"
                + " from the JDK's CDS archive and %d from the launcher's AppCDS archive:%n%n",
            p.classesLoaded,
            p.fromJdkArchive,
            p.fromAppArchive));
    Markdown.phaseTable(b, p.phases, p.total);
    b.append(
        "\nThe classes it loaded, by library, and when (JVM uptime) the first and the last of"
            + " them were loaded:\n\n| library | classes | from the JDK's CDS archive | from the"
            + " AppCDS archive | first | last |\n|---|---:|---:|---:|---:|---:|\n");
    p.families.entrySet().stream()
        .sorted((x, y) -> Double.compare(y.getValue()[0], x.getValue()[0]))
        .forEach(e -> b.append(familyRow(e)));
  }

  private static String familyRow(Map.Entry<String, double[]> e) {
    double[] f = e.getValue();
    return String.format(
        Locale.ROOT,
        "| %s | %.0f | %.0f | %.0f | %s | %s |%n",
        e.getKey(),
        f[ColdProfile.CLASSES],
        f[ColdProfile.FROM_JDK_ARCHIVE],
        f[ColdProfile.FROM_APP_ARCHIVE],
        fmt(f[ColdProfile.FIRST]),
        fmt(f[ColdProfile.LAST]));
  }
}
