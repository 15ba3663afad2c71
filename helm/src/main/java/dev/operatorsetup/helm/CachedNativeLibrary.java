package dev.operatorsetup.helm;

import com.marcnuri.helm.jni.HelmLib;
import com.marcnuri.helm.jni.NativeLibrary;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * helm-java's native Helm library (about 100 MB), copied once into a per-user cache and loaded from
 * there, instead of into a new temporary directory in every process as helm-java does by itself: a
 * cold process saves the copy, and a process killed before it exits leaves nothing in the temporary
 * directory. The platform's own {@link NativeLibrary} (helm-java's jar for this platform) says
 * which library it is; if the cache cannot be used, that one loads it its own way.
 *
 * <p>The cache is {@code $XDG_CACHE_HOME/operator-setup/helm-java} ({@code ~/.cache/...} without
 * it), or the directory the system property {@code operator-setup.helm.cache} names; an entry is
 * keyed by the library's jar entry (its CRC and size), so another helm-java version gets its own.
 */
public final class CachedNativeLibrary implements NativeLibrary {
  private static final Logger log = LoggerFactory.getLogger("dev.operatorsetup.render");

  /** Creates the provider; {@link ServiceLoader} calls this. */
  public CachedNativeLibrary() {}

  /** The platform's own provider (helm-java's), found like helm-java finds providers. */
  private static NativeLibrary platform() {
    ClassLoader cl = CachedNativeLibrary.class.getClassLoader();
    for (NativeLibrary lib : ServiceLoader.load(NativeLibrary.class, cl)) {
      if (!(lib instanceof CachedNativeLibrary)) {
        return lib;
      }
    }
    throw new IllegalStateException(
        "No helm-java native library for this platform on the class path (e.g."
            + " com.marcnuri.helm-java:linux-amd64)");
  }

  @Override
  public String getBinaryName() {
    return platform().getBinaryName();
  }

  @Override
  public HelmLib load() {
    NativeLibrary platform = platform();
    Path cached;
    try {
      cached = cached(platform.getClass(), platform.getBinaryName(), cacheRoot());
    } catch (IOException | UncheckedIOException | SecurityException e) {
      log.debug("helm-java's library cache is not usable ({}); loading it helm-java's way", e);
      return platform.load();
    }
    return Native.load(cached.toString(), HelmLib.class);
  }

  /** The cache directory. */
  static Path cacheRoot() {
    String property = System.getProperty("operator-setup.helm.cache");
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("operator-setup").resolve("helm-java");
  }

  /**
   * The library's file in the cache, copied there first if it is not yet (to a temporary file in
   * the same directory, then moved into place, so a reader never sees half a library).
   */
  static Path cached(Class<?> owner, String binaryName, Path root) throws IOException {
    URL url = owner.getResource("/" + binaryName);
    if (url == null) {
      throw new IOException(binaryName + " is not in " + owner.getName() + "'s jar");
    }
    URLConnection connection = url.openConnection();
    connection.setUseCaches(false);
    long size = connection.getContentLengthLong();
    String identity =
        connection instanceof JarURLConnection jar
            ? jar.getJarEntry().getCrc() + ":" + size
            : url + ":" + size + ":" + connection.getLastModified();
    Path file = root.resolve(key(binaryName + ":" + identity)).resolve(binaryName);
    if (Files.isRegularFile(file) && Files.size(file) == size) {
      return file;
    }
    Files.createDirectories(file.getParent());
    Path part = Files.createTempFile(file.getParent(), binaryName, ".part");
    try (InputStream in = connection.getInputStream()) {
      Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
      Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(part);
    }
    return file;
  }

  private static String key(String identity) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
