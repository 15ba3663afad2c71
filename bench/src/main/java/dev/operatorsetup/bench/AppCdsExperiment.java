package dev.operatorsetup.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The AppCDS experiment: an archive of the classes a cold install loads, made by one training run
 * with {@code -XX:ArchiveClassesAtExit}, then mapped with {@code -XX:SharedArchiveFile}.
 */
final class AppCdsExperiment {
  private final BenchContext ctx;
  private final ColdCommand command;

  AppCdsExperiment(BenchContext ctx, ColdCommand command) {
    this.ctx = ctx;
    this.command = command;
  }

  /** Makes an AppCDS archive of the classes a cold install loads (one training run). */
  Path train() throws Exception {
    Path archive = ctx.cfg.work().resolve(ctx.prefix() + "-operator-setup.jsa").toAbsolutePath();
    command.install("cdstrain", "-XX:ArchiveClassesAtExit=" + archive, "json");
    if (!Files.isRegularFile(archive)) {
      throw new IllegalStateException("the JVM wrote no AppCDS archive to " + archive);
    }
    return archive;
  }

  /** One clean install by the command with the archive mapped. */
  ColdCommand.Run withArchive(Path archive) throws Exception {
    return command.install("cold", "-XX:SharedArchiveFile=" + archive, "json");
  }
}
