package dev.operatorsetup.examples.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Image replacements applied when the manifest is rendered. */
public final class ImageOptions {
  @Option(names = "--image", description = "OLD=NEW image replacement (repeatable)")
  List<String> images = new ArrayList<>();
}
