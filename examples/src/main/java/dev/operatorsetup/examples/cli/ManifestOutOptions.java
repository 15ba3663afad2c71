package dev.operatorsetup.examples.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where plan, install and render write the patched manifest. */
public final class ManifestOutOptions {
  @Option(names = "--manifest-out", description = "write the patched manifest to this file")
  Path manifestOut;
}
