package dev.operatorsetup.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The launcher's AppCDS archive: {@code bin/operator-setup} records the classes its first real run
 * of a newly built jar loads ({@code -XX:ArchiveClassesAtExit}) and maps them in later runs ({@code
 * -XX:SharedArchiveFile}). The experiment times that first run, before any measured cold run (so
 * that those are the runs a user makes from the second on), and the command without the archive
 * ({@code OPERATOR_SETUP_CDS=off}, the launcher's own switch), so the archive's worth is a row of
 * the install table.
 */
final class AppCdsExperiment {
  /**
   * The first run: its wall time, whether it recorded the archive (if not, the launcher found one
   * for this jar already), and how many classes it recorded (-1 if it did not).
   */
  record FirstRun(double wallMillis, boolean recorded, long classes) {}

  private static final Pattern COPYING = Pattern.compile("Copying (\\d+) klasses");

  private final BenchContext ctx;
  private final ColdCommand command;

  AppCdsExperiment(BenchContext ctx, ColdCommand command) {
    this.ctx = ctx;
    this.command = command;
  }

  /**
   * The command's first run, with the launcher's defaults; {@code -Xlog:cds+dynamic} to a file of
   * its own says whether the JVM dumped an archive at exit (the launcher turns that log off on the
   * console only).
   */
  FirstRun first() throws Exception {
    Path log = ctx.cfg.work().resolve(ctx.prefix() + "-first-run-cds.log").toAbsolutePath();
    Files.deleteIfExists(log);
    ColdCommand.Run run =
        command.install(
            "cdsfirst", Map.of("JDK_JAVA_OPTIONS", "-Xlog:cds+dynamic=info:file=" + log), "json");
    long classes = recordedClasses(log);
    return new FirstRun(run.wallMillis(), classes >= 0, classes);
  }

  /** One clean install by the command without the launcher's AppCDS archive. */
  ColdCommand.Run withoutArchive() throws Exception {
    return command.install("nocds", Map.of("OPERATOR_SETUP_CDS", "off"), "json");
  }

  /** The classes a dynamic archive dump copied, from its log; -1 if the JVM dumped none. */
  static long recordedClasses(Path log) throws IOException {
    if (!Files.isRegularFile(log)) {
      return -1;
    }
    Matcher m = COPYING.matcher(Files.readString(log));
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }
}
