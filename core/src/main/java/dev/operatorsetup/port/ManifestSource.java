package dev.operatorsetup.port;

import dev.operatorsetup.model.Manifest;

/**
 * Where the operator's installer manifest comes from: the bundled copy, a file, or an https URL
 * pinned by sha256. See {@link dev.operatorsetup.Manifests} for the implementations.
 */
@FunctionalInterface
public interface ManifestSource {
  /**
   * Loads and parses the manifest.
   *
   * @throws dev.operatorsetup.InvalidConfigurationException if it is missing, malformed, too large
   *     or does not match its pin
   */
  Manifest load();
}
