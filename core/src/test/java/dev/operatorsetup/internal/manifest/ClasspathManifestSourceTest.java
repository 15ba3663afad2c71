package dev.operatorsetup.internal.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.internal.manifest.ClasspathManifestSource.Part;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClasspathManifestSourceTest {
  private static final String INSTALLER_SHA =
      "afbc221306395906b4588da2a5a324a8d0002e131b5ffa25007a2edb5cc62d2f";

  @Test
  void aBundledFileWithAnotherSha256IsABug() {
    String expected = "0".repeat(64);
    ClasspathManifestSource source =
        new ClasspathManifestSource(
            "bundled:test", List.of(new Part("release-rolebased-installer.yaml", expected)));

    assertThatThrownBy(source::load)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has sha256 " + INSTALLER_SHA)
        .hasMessageContaining("expects " + expected)
        .hasMessageContaining("this is a bug");
  }

  @Test
  void aBundledManifestIsParsedOnceAndShared() {
    List<Part> parts = List.of(new Part("release-rolebased-installer.yaml", INSTALLER_SHA));
    ClasspathManifestSource one = new ClasspathManifestSource("bundled:one", parts);
    ClasspathManifestSource two = new ClasspathManifestSource("bundled:two", parts);

    assertThat(one.load()).isSameAs(one.load());
    assertThat(two.load().origin()).isEqualTo("bundled:two");
    assertThat(two.load().objects()).isEqualTo(one.load().objects());
  }

  @Test
  void aMissingBundledFileIsABug() {
    ClasspathManifestSource source =
        new ClasspathManifestSource(
            "bundled:test",
            List.of(
                new Part("release-rolebased-installer.yaml", INSTALLER_SHA),
                new Part("no-such-file.yaml", INSTALLER_SHA)));

    assertThatThrownBy(source::load)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("/dev/operatorsetup/manifests/no-such-file.yaml is missing");
  }
}
