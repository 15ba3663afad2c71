package dev.operatorsetup.examples.cli;

import dev.operatorsetup.Durations;
import dev.operatorsetup.ProgressEvent;
import dev.operatorsetup.model.Change;
import dev.operatorsetup.model.ChangeAction;
import dev.operatorsetup.model.Check;
import dev.operatorsetup.model.InstallReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** The text output: progress lines on stderr while it runs, the summary table on stdout. */
final class TextOutput {
  private final PrintStream out;
  private final PrintStream err;

  TextOutput(Session session) {
    this.out = session.out();
    this.err = session.err();
  }

  /** One progress line per step, change and wait, with the time since the start. */
  void progress(ProgressEvent e) {
    String time = String.format(Locale.ROOT, "[%6s]", Durations.format(e.elapsed()));
    switch (e.type()) {
      case STEP_STARTED -> err.println(time + " " + e.step() + ": " + e.detail() + " ...");
      case CHANGE -> err.println(time + "   " + e.detail().split(":", 2)[0] + " " + e.step());
      case WAITING -> err.println(time + "   " + e.detail());
      default -> {}
    }
  }

  /** The changes as a table, the checks one a line, then a summary line. */
  void report(InstallReport report) {
    if (!report.changes().isEmpty()) {
      int width = report.changes().stream().mapToInt(c -> c.resource().length()).max().orElse(10);
      String row = "%-9s %-" + width + "s  %s%n";
      out.printf(Locale.ROOT, row, "ACTION", "RESOURCE", "DETAIL");
      for (Change c : report.changes()) {
        out.printf(Locale.ROOT, row, c.action().id(), c.resource(), c.detail());
      }
    }
    for (Check c : report.checks()) {
      out.printf(Locale.ROOT, "%-4s %-17s %s%n", c.ok() ? "ok" : "FAIL", c.name(), c.detail());
    }
    out.println(
        report.command()
            + ": "
            + outcome(report)
            + " in "
            + Durations.format(Duration.ofMillis(report.durationMillis()))
            + report.roleArn().map(r -> "; role " + r).orElse(""));
  }

  private static String outcome(InstallReport report) {
    if (!report.checks().isEmpty()) {
      return report.healthy() ? "healthy" : "problems found";
    }
    long changed =
        report.changes().stream().filter(c -> c.action() != ChangeAction.UNCHANGED).count();
    String verb = report.command().startsWith("plan") ? "would change" : "changed";
    return verb + " " + changed + " of " + report.changes().size() + " resources";
  }

  /** Render without --manifest-out: the manifest itself. */
  void manifest(String yaml) {
    out.print(yaml);
  }

  /** Render with --manifest-out: where it went. */
  void wrote(int objects, Path file, String roleArn) {
    out.println(
        "render: wrote "
            + objects
            + " objects to "
            + file
            + (roleArn == null ? "" : "; role " + roleArn));
  }

  /** The one error line. */
  void error(String message) {
    err.println("error: " + message);
  }
}
