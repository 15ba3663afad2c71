package dev.operatorsetup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.internal.manifest.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
  private static final String CHART_YAML = "apiVersion: v2\nname: demo\nversion: 1.10\n";

  @TempDir Path tmp;

  @Test
  void bundledChartsAreExtractedOnceAndMatchTheirListing() throws IOException {
    for (Charts.Release release : Charts.Release.values()) {
      Charts.Chart chart = Charts.bundled(release).resolve();
      assertThat(chart.name()).isEqualTo("sagemaker-chart");
      assertThat(chart.version()).isEqualTo(release.version());
      assertThat(chart.appVersion()).isEqualTo(release.version());
      assertThat(chart.origin()).isEqualTo("bundled:sagemaker-chart-" + release.version());
      assertThat(Charts.bundled(release).resolve().directory()).isEqualTo(chart.directory());
      String listing = resource("sagemaker-chart-" + release.version() + ".sha256sums");
      List<String> lines = listing.lines().toList();
      assertThat(lines).hasSizeGreaterThan(40);
      for (String line : lines) {
        Path file = chart.directory().resolve(line.substring(66));
        assertThat(Sha256.hex(Files.readAllBytes(file))).as(line).isEqualTo(line.substring(0, 64));
      }
      assertThat(chart.directory().resolve("crds")).isDirectory();
    }
    assertThat(Charts.bundled().resolve().version()).isEqualTo("1.9.1");
  }

  @Test
  void provenanceNamesEveryListingSha256() throws IOException {
    String provenance = resource("PROVENANCE.md");
    for (Charts.Release release : Charts.Release.values()) {
      String name = "sagemaker-chart-" + release.version() + ".sha256sums";
      String sha = Sha256.hex(resource(name).getBytes(StandardCharsets.UTF_8));
      assertThat(provenance).contains(sha + "  " + name);
    }
  }

  @Test
  void specsSelectBundledChartsDirectoriesAndArchives() throws IOException {
    assertThat(Charts.parse("bundled").resolve().version()).isEqualTo("1.9.1");
    assertThat(Charts.parse("1.9.1").resolve().version()).isEqualTo("1.9.1");
    assertThat(Charts.parse("1.6.0").resolve().version()).isEqualTo("1.6.0");
    Path dir = Files.createDirectories(tmp.resolve("demo"));
    Files.writeString(dir.resolve("Chart.yaml"), CHART_YAML);
    Charts.Chart fromDir = Charts.parse(dir.toString()).resolve();
    assertThat(fromDir.directory()).isEqualTo(dir);
    assertThat(fromDir.version()).as("plain scalars stay text").isEqualTo("1.10");

    Path tgz = tmp.resolve("demo-1.10.tgz");
    Files.write(
        tgz,
        tgz(
            entry("demo/Chart.yaml", '0', CHART_YAML),
            entry("demo/templates/", '5', ""),
            entry("demo/templates/cm.yaml", '0', "kind: ConfigMap\n")));
    Charts.Chart fromTgz = Charts.parse(tgz.toString()).resolve();
    assertThat(fromTgz.name()).isEqualTo("demo");
    assertThat(fromTgz.directory().resolve("templates/cm.yaml")).hasContent("kind: ConfigMap");
    assertThat(fromTgz.directory()).isNotEqualTo(tmp.resolve("demo"));
  }

  @Test
  void badSpecsNameTheChartRuleAndFix() {
    assertRefused("", "a chart is required");
    assertRefused("http://example.com/c.tgz#sha256=" + "a".repeat(64), "plain http is refused");
    assertRefused("https://example.com/c.tgz", "needs a sha256 pin");
    assertRefused("https://example.com/c.tgz#sha256=ABC", "64 lower-case hex");
    assertRefused("ftp://example.com/c.tgz", "only https");
    assertRefused("file:/tmp/c.tgz", "file: URLs");
    assertRefused("https://user:pw@example.com/c.tgz#sha256=" + "a".repeat(64), "no user");
    assertThat(Charts.parse("https://example.com/c.tgz#sha256=" + "a".repeat(64))).isNotNull();
  }

  @Test
  void missingAndNonChartPathsAreRefusedWhenResolved() throws IOException {
    assertResolveRefused(tmp.resolve("nope"), "no such directory or file");
    Path yaml = Files.writeString(tmp.resolve("x.yaml"), "a: b\n");
    assertResolveRefused(yaml, "must be a .tgz");
    assertResolveRefused(Files.createDirectories(tmp.resolve("empty")), "no readable Chart.yaml");
  }

  @Test
  void unsafeArchivesAreRefused() throws IOException {
    assertArchiveRefused("contains '..'", entry("demo/../../evil", '0', "x"));
    assertArchiveRefused("absolute", entry("/etc/evil", '0', "x"));
    assertArchiveRefused("links and devices", entry("demo/link", '2', ""));
    assertArchiveRefused(
        "one top folder", entry("demo/Chart.yaml", '0', CHART_YAML), entry("other/x", '0', "x"));
    assertArchiveRefused(
        "appears twice",
        entry("demo/Chart.yaml", '0', CHART_YAML),
        entry("demo/Chart.yaml", '0', CHART_YAML));
    Path notGzip = Files.writeString(tmp.resolve("plain.tgz"), "not gzip");
    assertResolveRefused(notGzip, "not a readable .tgz");
  }

  private void assertArchiveRefused(String rule, byte[]... entries) throws IOException {
    Path tgz = Files.createTempFile(tmp, "bad-", ".tgz");
    Files.write(tgz, tgz(entries));
    assertResolveRefused(tgz, rule);
  }

  private static void assertResolveRefused(Path path, String rule) {
    assertThatThrownBy(() -> Charts.local(path).resolve())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining(rule)
        .satisfies(e -> assertThat(((InvalidConfigurationException) e).field()).isEqualTo("chart"));
  }

  private static void assertRefused(String spec, String rule) {
    assertThatThrownBy(() -> Charts.parse(spec))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining(rule)
        .hasMessageContaining("Fix:")
        .satisfies(e -> assertThat(((InvalidConfigurationException) e).field()).isEqualTo("chart"));
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = Charts.class.getResourceAsStream("/dev/operatorsetup/charts/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** One ustar entry: header and padded data. */
  private static byte[] entry(String name, char type, String content) {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    byte[] header = new byte[512];
    put(header, 0, name);
    put(header, 100, "0000644");
    put(header, 124, String.format("%011o", data.length));
    put(header, 136, "00000000000");
    header[156] = (byte) type;
    put(header, 257, "ustar");
    put(header, 263, "00");
    for (int i = 148; i < 156; i++) {
      header[i] = ' ';
    }
    int sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    put(header, 148, String.format("%06o", sum));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header);
    out.writeBytes(data);
    out.writeBytes(new byte[(512 - data.length % 512) % 512]);
    return out.toByteArray();
  }

  private static void put(byte[] header, int at, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(bytes, 0, header, at, bytes.length);
  }

  private static byte[] tgz(byte[]... entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      for (byte[] e : entries) {
        gz.write(e);
      }
      gz.write(new byte[1024]);
    }
    return bytes.toByteArray();
  }
}
