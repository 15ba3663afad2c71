package dev.operatorsetup;

import dev.operatorsetup.internal.manifest.ClasspathManifestSource;
import dev.operatorsetup.internal.manifest.ClasspathManifestSource.Part;
import dev.operatorsetup.internal.manifest.FileManifestSource;
import dev.operatorsetup.internal.manifest.HttpsManifestSource;
import dev.operatorsetup.internal.manifest.ManifestRenderer;
import dev.operatorsetup.internal.manifest.ManifestYaml;
import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.Manifest;
import dev.operatorsetup.model.ManifestPatch;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.model.Rules;
import dev.operatorsetup.model.ServiceAccountRef;
import dev.operatorsetup.port.ManifestSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Creates {@link ManifestSource}s for the operator's installer: the copies bundled in this library,
 * a local file, or an https URL pinned by sha256; and parses and writes manifest YAML.
 *
 * <p>Bundled manifests are byte-for-byte copies of the legacy operator's release files (see {@code
 * dev/operatorsetup/manifests/PROVENANCE.md} in the jar). Their CustomResourceDefinitions use
 * {@code apiextensions.k8s.io/v1beta1}, which Kubernetes 1.22 and later no longer serve.
 */
public final class Manifests {
  private static final String WORDS =
      Arrays.stream(Variant.values()).map(Variant::spec).collect(Collectors.joining(", "));
  private static final String SPEC_FIX =
      "pass one of "
          + WORDS
          + ", the path of a YAML file, or https://host/path/installer.yaml#sha256=<64 lower-case"
          + " hex digits>";

  private Manifests() {}

  /** The bundled installers. */
  public enum Variant {
    /**
     * The cluster-scoped installer of the last release ({@code release/rolebased/installer.yaml}).
     */
    INSTALLER(
        "bundled",
        new Part(
            "release-rolebased-installer.yaml",
            "afbc221306395906b4588da2a5a324a8d0002e131b5ffa25007a2edb5cc62d2f")),
    /**
     * The namespaced installer: {@code namespaced/crd.yaml} followed by {@code
     * namespaced/operator.yaml}, whose {@code PLACEHOLDER-NAMESPACE} is replaced when rendering.
     */
    NAMESPACED(
        "namespaced",
        new Part(
            "release-rolebased-namespaced-crd.yaml",
            "c1d3ee5ffec1192901a3cd6f3f39bff0dce03da0a8e13bdd78c163358d3c826a"),
        new Part(
            "release-rolebased-namespaced-operator.yaml",
            "4545b9272b2297193dfe86b21dabb1db3257e2764f15ac7c8c60f03f073f5e0f")),
    /** The cluster-scoped installer for the China regions (cn ECR image, no kube-rbac-proxy). */
    CHINA(
        "china",
        new Part(
            "release-rolebased-china-installer_china.yaml",
            "0b490789a622c6f6d788098f0533506dcf0925f97b9e00f4556a938bbd23bf86")),
    /** The namespaced installer for the China regions: the same CRDs, then the China operator. */
    NAMESPACED_CHINA(
        "namespaced-china",
        new Part(
            "release-rolebased-namespaced-crd.yaml",
            "c1d3ee5ffec1192901a3cd6f3f39bff0dce03da0a8e13bdd78c163358d3c826a"),
        new Part(
            "release-rolebased-namespaced-china-operator_china.yaml",
            "8d6db09ccddb30ff15595f080c25b6d6f50b18138274adf558fff03d85553be4")),
    /** The cluster-scoped installer of tag v1.1.0 (6 CRDs, image {@code :v1.1}). */
    V1_1_0(
        "v1.1.0",
        new Part(
            "tag-v1.1.0-release-rolebased-installer.yaml",
            "4451dcba9f730b91ef757d16f4553a5d1b609f70e9c40f8b52e9d5b2298d4a8f"));

    private final String spec;
    private final List<Part> parts;

    Variant(String spec, Part... parts) {
      this.spec = spec;
      this.parts = List.of(parts);
    }

    /** Returns the word that selects this variant in {@link Manifests#parse(String)}. */
    public String spec() {
      return spec;
    }

    /** Returns the manifest origin of this variant, e.g. {@code bundled:namespaced}. */
    public String origin() {
      return "bundled:" + (this == INSTALLER ? "installer" : spec);
    }
  }

  /** Returns the bundled cluster-scoped installer, {@link Variant#INSTALLER}. */
  public static ManifestSource bundled() {
    return bundled(Variant.INSTALLER);
  }

  /**
   * Returns a bundled installer. Loading checks each bundled file against its sha256 and throws
   * {@link IllegalStateException} if one differs, which means the jar is broken.
   */
  public static ManifestSource bundled(Variant variant) {
    Objects.requireNonNull(variant, "variant");
    return new ClasspathManifestSource(variant.origin(), variant.parts);
  }

  /**
   * Returns a manifest read from a local file when loaded.
   *
   * <p>{@link ManifestSource#load()} throws {@link InvalidConfigurationException} naming the path
   * if the file is missing, unreadable, larger than 8 MiB or not a valid manifest.
   */
  public static ManifestSource file(Path path) {
    return new FileManifestSource(Objects.requireNonNull(path, "path"));
  }

  /**
   * Returns a manifest downloaded over https when loaded, refused unless its bytes have the given
   * sha256. TLS is verified with the JVM's default trust store; the download is limited to 8 MiB
   * and 60 seconds.
   *
   * @param sha256 the expected sha256 of the file, 64 lower-case hex digits
   * @throws InvalidConfigurationException now if the URL is not https or the pin is malformed
   */
  public static ManifestSource url(URI uri, String sha256) {
    return url(uri, sha256, null, HttpsManifestSource.DEFAULT_TIMEOUT);
  }

  /** Like {@link #url(URI, String)}, with the HTTP client and timeout given (for tests). */
  static ManifestSource url(URI uri, String sha256, HttpClient client, Duration timeout) {
    return new HttpsManifestSource(uri, sha256, client, timeout, ManifestYaml.MAX_BYTES);
  }

  /**
   * Returns the source a command-line value names: {@code bundled}, {@code namespaced}, {@code
   * china}, {@code namespaced-china}, {@code v1.1.0}, a file path, or {@code
   * https://...#sha256=<hex>}. Nothing is read until the source is loaded.
   *
   * @throws InvalidConfigurationException with field {@code manifest} for anything else, e.g. an
   *     {@code http://} URL or an https URL without {@code #sha256=}
   */
  public static ManifestSource parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new InvalidConfigurationException("manifest", spec, "a manifest is required", SPEC_FIX);
    }
    for (Variant variant : Variant.values()) {
      if (variant.spec.equals(spec)) {
        return bundled(variant);
      }
    }
    int colon = spec.indexOf("://");
    if (colon > 0) {
      return parseUrl(spec, spec.substring(0, colon).toLowerCase(Locale.ROOT));
    }
    if (spec.regionMatches(true, 0, "file:", 0, 5)) {
      throw new InvalidConfigurationException(
          "manifest", spec, "file: URLs are not accepted", "pass the plain path of the file");
    }
    try {
      return file(Path.of(spec));
    } catch (InvalidPathException e) {
      throw new InvalidConfigurationException(
          "manifest", spec, "it is not a valid file path: " + e.getReason(), SPEC_FIX);
    }
  }

  private static ManifestSource parseUrl(String spec, String scheme) {
    if (scheme.equals("http")) {
      throw new InvalidConfigurationException(
          "manifest",
          spec,
          "plain http is refused: anyone on the network path could change the installer",
          "use the https:// URL of the same file, with #sha256=<64 lower-case hex digits>");
    }
    if (!scheme.equals("https")) {
      throw new InvalidConfigurationException(
          "manifest", spec, "only https:// URLs are accepted", SPEC_FIX);
    }
    int hash = spec.indexOf('#');
    String fragment = hash < 0 ? "" : spec.substring(hash + 1);
    if (!fragment.startsWith("sha256=")) {
      throw new InvalidConfigurationException(
          "manifest",
          spec,
          "an https URL needs a sha256 pin, so that a changed file is refused",
          "append #sha256=<64 lower-case hex digits> (compute it with 'sha256sum' after reviewing"
              + " the file)");
    }
    String pin = fragment.substring("sha256=".length());
    if (!Rules.SHA256.matcher(pin).matches()) {
      throw new InvalidConfigurationException(
          "manifest",
          spec,
          "the sha256 pin must be exactly 64 lower-case hex digits (0-9, a-f)",
          "append #sha256=<64 lower-case hex digits> (compute it with 'sha256sum' after reviewing"
              + " the file)");
    }
    URI uri;
    try {
      uri = new URI(spec.substring(0, hash));
    } catch (java.net.URISyntaxException e) {
      throw new InvalidConfigurationException(
          "manifest", spec, "it is not a valid URL: " + e.getReason(), SPEC_FIX);
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null) {
      throw new InvalidConfigurationException(
          "manifest",
          uri.getRawUserInfo() != null ? uri.getHost() : spec,
          "an https URL needs a host name and no user:password@",
          SPEC_FIX);
    }
    return url(uri, pin);
  }

  /**
   * Parses multi-document manifest YAML into its objects, in file order; empty documents are
   * skipped and {@link Manifest#sha256()} is the sha256 of {@code bytes}.
   *
   * <p>The parser is bounded: more than 8 MiB is refused before parsing, and so are nesting deeper
   * than 128, more than 50 aliases, duplicate keys, merge keys and custom tags.
   *
   * @param origin where the bytes came from; error messages and {@link Manifest#origin()} use it
   * @throws InvalidConfigurationException naming the origin and the document number if the YAML is
   *     malformed or hostile, or a document is not a mapping with apiVersion, kind and
   *     metadata.name
   */
  public static Manifest parse(String origin, byte[] bytes) {
    return ManifestYaml.parse(origin, bytes);
  }

  /**
   * Checks, without connecting anywhere, that the manifest can be installed for this ServiceAccount
   * (it holds that ServiceAccount exactly once, its objects are well formed); throws {@link
   * InvalidConfigurationException} naming the problem otherwise.
   */
  public static void check(
      Manifest manifest,
      ServiceAccountRef serviceAccount,
      Partition partition,
      java.util.Map<String, String> imageOverrides) {
    ManifestRenderer.render(
        manifest,
        new ManifestPatch.Builder()
            .roleArn(
                Arn.parseRole(
                    "role ARN", "arn:" + partition.id() + ":iam::000000000000:role/check"))
            .serviceAccount(serviceAccount)
            .putAllImageOverrides(imageOverrides)
            .build(),
        false);
  }

  /**
   * Writes objects as multi-document YAML, each starting with {@code ---}, for {@code kubectl apply
   * -f} or a GitOps repository. {@link #parse(String, byte[])} reads it back to equal objects.
   */
  public static String toYaml(List<KubeObject> objects) {
    return ManifestYaml.toYaml(objects);
  }
}
