package dev.operatorsetup.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.jni.NativeLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-user cache of helm-java's native library. */
class CachedNativeLibraryTest {
  static final String PROBE = "cached-native-probe.bin";

  @Test
  void theLibraryIsCopiedOnce_thenFoundWhereItWas(@TempDir Path root) throws IOException {
    Path first = CachedNativeLibrary.cached(getClass(), PROBE, root);
    byte[] original;
    try (InputStream in = getClass().getResourceAsStream("/" + PROBE)) {
      original = in.readAllBytes();
    }
    assertThat(first).isRegularFile().hasBinaryContent(original);
    FileTime copied = FileTime.fromMillis(1_000_000L);
    Files.setLastModifiedTime(first, copied);

    Path second = CachedNativeLibrary.cached(getClass(), PROBE, root);

    assertThat(second).isEqualTo(first);
    assertThat(Files.getLastModifiedTime(second)).as("not copied again").isEqualTo(copied);
    try (var files = Files.walk(root)) {
      assertThat(files.filter(Files::isRegularFile)).as("no part file left").hasSize(1);
    }
  }

  @Test
  void aTruncatedCopyIsReplaced(@TempDir Path root) throws IOException {
    Path cached = CachedNativeLibrary.cached(getClass(), PROBE, root);
    Files.write(cached, new byte[] {1, 2, 3});

    Path again = CachedNativeLibrary.cached(getClass(), PROBE, root);

    assertThat(Files.size(again)).isGreaterThan(3);
  }

  @Test
  void aMissingLibraryIsAnIoErrorSoHelmJavasOwnLoadingIsUsed(@TempDir Path root) {
    assertThatThrownBy(() -> CachedNativeLibrary.cached(getClass(), "no-such.so", root))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no-such.so");
  }

  @Test
  void itIsTheFirstProviderAndNamesThePlatformsLibrary() {
    NativeLibrary first = ServiceLoader.load(NativeLibrary.class).findFirst().orElseThrow();

    assertThat(first).isInstanceOf(CachedNativeLibrary.class);
    assertThat(first.getBinaryName()).startsWith("helm-");
  }
}
