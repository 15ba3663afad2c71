package dev.operatorsetup.internal.manifest;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.model.Manifest;
import dev.operatorsetup.port.ManifestSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/** A manifest read from a local file, at most {@link ManifestYaml#MAX_BYTES} bytes. */
public final class FileManifestSource implements ManifestSource {
  private static final String FIX =
      "pass the path of an existing, readable installer YAML file, or one of bundled, namespaced,"
          + " china, namespaced-china, v1.1.0, or https://...#sha256=<hex>";

  private final Path path;

  public FileManifestSource(Path path) {
    this.path = Objects.requireNonNull(path, "path");
  }

  @Override
  public Manifest load() {
    String shown = path.toString();
    if (Files.isDirectory(path)) {
      throw new InvalidConfigurationException(
          "manifest file", shown, "it is a directory, not a file", FIX);
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      bytes = in.readNBytes(ManifestYaml.MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw new InvalidConfigurationException(
          "manifest file", shown, "the file does not exist (" + path.toAbsolutePath() + ")", FIX);
    } catch (AccessDeniedException e) {
      throw new InvalidConfigurationException(
          "manifest file",
          shown,
          "the file cannot be read: permission denied",
          "make it readable by this user (chmod o+r), or " + FIX);
    } catch (IOException e) {
      throw new InvalidConfigurationException(
          "manifest file", shown, "the file cannot be read: " + e, FIX);
    }
    if (bytes.length > ManifestYaml.MAX_BYTES) {
      throw ManifestYaml.tooLarge(
          "manifest file", shown, "more than " + ManifestYaml.MAX_BYTES + " bytes");
    }
    return ManifestYaml.load(shown, bytes);
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
