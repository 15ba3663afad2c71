package dev.operatorsetup.internal.manifest;

import dev.operatorsetup.model.Manifest;
import dev.operatorsetup.port.ManifestSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A manifest shipped in this library's jar: one or more resources, each checked against its sha256,
 * concatenated with {@code ---} lines in between. A missing or changed resource is a bug in the
 * build, so it throws {@link IllegalStateException}. The jar's resources do not change, so each
 * manifest is read, checked and parsed once per class loader and then shared (a {@link Manifest} is
 * immutable).
 */
public final class ClasspathManifestSource implements ManifestSource {
  /** The classpath folder that holds the bundled manifests. */
  public static final String FOLDER = "/dev/operatorsetup/manifests/";

  private static final byte[] SEPARATOR = "---\n".getBytes(StandardCharsets.US_ASCII);
  private static final Map<List<Part>, Manifest> LOADED = new ConcurrentHashMap<>();

  private final String origin;
  private final List<Part> parts;

  /** One resource under {@link #FOLDER} and the sha256 it must have. */
  public record Part(String resource, String sha256) {}

  public ClasspathManifestSource(String origin, List<Part> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("a bundled manifest has at least one part");
    }
    this.origin = origin;
    this.parts = List.copyOf(parts);
  }

  @Override
  public Manifest load() {
    Manifest loaded = LOADED.get(parts);
    if (loaded != null && loaded.origin().equals(origin)) {
      return loaded;
    }
    Manifest manifest = parse();
    LOADED.put(parts, manifest);
    return manifest;
  }

  private Manifest parse() {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        all.writeBytes(SEPARATOR);
      }
      all.writeBytes(read(parts.get(i)));
    }
    return ManifestYaml.load(origin, all.toByteArray());
  }

  /** Returns the bytes of a part after checking its sha256. */
  static byte[] read(Part part) {
    byte[] bytes;
    try (InputStream in =
        ClasspathManifestSource.class.getResourceAsStream(FOLDER + part.resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "Bundled manifest "
                + FOLDER
                + part.resource
                + " is missing from the classpath: the"
                + " library jar is broken; rebuild it or use a manifest file");
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Reading bundled manifest " + part.resource + " failed", e);
    }
    String actual = Sha256.hex(bytes);
    if (!actual.equals(part.sha256)) {
      throw new IllegalStateException(
          "Bundled manifest "
              + part.resource
              + " has sha256 "
              + actual
              + " but the library expects "
              + part.sha256
              + ": the jar was built from changed files; this is a bug, rebuild from a clean"
              + " checkout");
    }
    return bytes;
  }

  @Override
  public String toString() {
    return origin;
  }
}
