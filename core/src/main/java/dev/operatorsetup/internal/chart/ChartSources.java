package dev.operatorsetup.internal.chart;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.Loggers;
import dev.operatorsetup.internal.manifest.HttpsManifestSource;
import dev.operatorsetup.internal.manifest.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each kind of chart source into a local chart directory. Archives and bundled charts are
 * extracted under one private temporary directory per process (owner-only, deleted at exit);
 * bundled charts and pinned downloads are extracted once per process and then shared.
 */
public final class ChartSources {
  /** The classpath folder that holds the bundled charts. */
  public static final String FOLDER = "/dev/operatorsetup/charts/";

  /** The largest chart archive downloaded or read. */
  public static final int MAX_ARCHIVE_BYTES = 16 * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(Loggers.MANIFEST);
  private static final Map<String, Path> SHARED = new ConcurrentHashMap<>();
  private static final String FIX =
      "pass bundled, a bundled version, a chart directory, a chart .tgz, or"
          + " https://host/path/chart.tgz#sha256=<64 lower-case hex digits>";
  private static volatile Path root;

  private ChartSources() {}

  /** A chart directory and where it came from. */
  public record Local(String origin, Path directory, ChartYaml.Metadata metadata) {}

  /**
   * Extracts a bundled chart once per process: {@code FOLDER + folder + ".sha256sums"} lists its
   * files (sha256, two spaces, path); the listing must have sha256 {@code listingSha256} and every
   * file the sha256 it lists. A difference means a broken jar: {@link IllegalStateException}.
   */
  public static Local bundled(String origin, String folder, String listingSha256) {
    Path dir =
        SHARED.computeIfAbsent(
            "bundled:" + folder, key -> extractBundled(folder, listingSha256, origin));
    return new Local(origin, dir, ChartYaml.read(origin, dir));
  }

  /** A chart directory as it is, or a {@code .tgz} file extracted to a new private directory. */
  public static Local local(Path path) {
    String origin = path.toString();
    if (Files.isDirectory(path)) {
      return new Local(origin, path, ChartYaml.read(origin, path));
    }
    if (!Files.isRegularFile(path)) {
      throw new InvalidConfigurationException(
          "chart",
          origin,
          "no such directory or file (" + path.toAbsolutePath() + ")",
          "pass an existing chart directory or .tgz, or " + FIX);
    }
    String name = path.getFileName().toString();
    if (!name.endsWith(".tgz") && !name.endsWith(".tar.gz")) {
      throw new InvalidConfigurationException(
          "chart",
          origin,
          "a chart file must be a .tgz archive (helm package)",
          "pass the chart's directory or its .tgz");
    }
    try (InputStream in = Files.newInputStream(path)) {
      byte[] bytes = in.readNBytes(MAX_ARCHIVE_BYTES + 1);
      return extract(origin, bytes);
    } catch (NoSuchFileException e) {
      throw new InvalidConfigurationException("chart", origin, "the file does not exist", FIX);
    } catch (IOException e) {
      throw new InvalidConfigurationException(
          "chart", origin, "the file cannot be read: " + e, FIX);
    }
  }

  /** Downloads a pinned chart archive once per process and extracts it. */
  public static Local url(URI uri, String sha256) {
    HttpsManifestSource download =
        new HttpsManifestSource(
            "chart", uri, sha256, null, HttpsManifestSource.DEFAULT_TIMEOUT, MAX_ARCHIVE_BYTES);
    String origin = uri + "#sha256=" + sha256;
    Path dir =
        SHARED.computeIfAbsent(origin, key -> extract(origin, download.download()).directory());
    return new Local(origin, dir, ChartYaml.read(origin, dir));
  }

  private static Local extract(String origin, byte[] bytes) {
    if (bytes.length > MAX_ARCHIVE_BYTES) {
      throw new InvalidConfigurationException(
          "chart",
          origin,
          "the archive is larger than " + MAX_ARCHIVE_BYTES + " bytes",
          "pass the chart's directory instead");
    }
    Path into = newDirectory("archive");
    Path dir = ChartArchive.extract(origin, new ByteArrayInputStream(bytes), into);
    LOG.debug("chart extracted origin={} sha256={} into={}", origin, Sha256.hex(bytes), dir);
    return new Local(origin, dir, ChartYaml.read(origin, dir));
  }

  private static Path extractBundled(String folder, String listingSha256, String origin) {
    byte[] listing = resource(folder + ".sha256sums");
    check(folder + ".sha256sums", listing, listingSha256);
    Path dir = newDirectory("bundled").resolve(folder);
    int files = 0;
    for (String line : new String(listing, StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String sha = line.substring(0, 64);
      String file = line.substring(66);
      if (file.startsWith("/") || file.contains("..") || line.charAt(64) != ' ') {
        throw new IllegalStateException("Bundled chart listing " + folder + " is malformed");
      }
      byte[] bytes = resource(folder + "/" + file);
      check(folder + "/" + file, bytes, sha);
      write(dir.resolve(file), bytes);
      files++;
    }
    LOG.debug("bundled chart extracted origin={} files={} into={}", origin, files, dir);
    return dir;
  }

  private static byte[] resource(String name) {
    try (InputStream in = ChartSources.class.getResourceAsStream(FOLDER + name)) {
      if (in == null) {
        throw new IllegalStateException(
            "Bundled chart file "
                + FOLDER
                + name
                + " is missing from the classpath: the library jar is broken; rebuild it or pass a"
                + " chart directory");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Reading bundled chart file " + name + " failed", e);
    }
  }

  private static void check(String name, byte[] bytes, String expected) {
    String actual = Sha256.hex(bytes);
    if (!actual.equals(expected)) {
      throw new IllegalStateException(
          "Bundled chart file "
              + name
              + " has sha256 "
              + actual
              + " but the library expects "
              + expected
              + ": the jar was built from changed files; this is a bug, rebuild from a clean"
              + " checkout");
    }
  }

  private static void write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("Writing " + file + " failed", e);
    }
  }

  /** Returns a new empty directory under this process's private temporary directory. */
  static Path newDirectory(String prefix) {
    try {
      return Files.createTempDirectory(root(), prefix + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("Creating a temporary directory failed", e);
    }
  }

  private static synchronized Path root() throws IOException {
    if (root == null) {
      Path created = Files.createTempDirectory("operator-setup-charts-"); // rwx------ on POSIX
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(created), "chart-cleanup"));
      root = created;
    }
    return root;
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort at exit
    }
  }
}
