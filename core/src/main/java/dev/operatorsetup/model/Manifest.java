package dev.operatorsetup.model;

import java.util.List;
import org.immutables.value.Value;

/** A parsed multi-document manifest: its objects in file order, and where it came from. */
@Value.Immutable
@ValueStyle
public interface Manifest {
  /** E.g. {@code bundled:installer}, a file path or a URL. */
  String origin();

  /** The sha256 of the bytes it was parsed from, lower-case hex. */
  String sha256();

  List<KubeObject> objects();

  class Builder extends ImmutableManifest.Builder {}
}
