package dev.operatorsetup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.internal.manifest.Sha256;
import dev.operatorsetup.model.Manifest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Manifests.parse(origin, bytes): document rules and hostile input. */
class ManifestsParseTest {
  private static final String NS = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: operator\n";

  private static Manifest parse(String yaml) {
    return Manifests.parse("test.yaml", yaml.getBytes(StandardCharsets.UTF_8));
  }

  /** Asserts a clear refusal that names the origin, within a few seconds and without an Error. */
  private static void refused(ThrowingCallable call, Consumer<String> message) {
    long start = System.nanoTime();
    assertThatThrownBy(call)
        .isExactlyInstanceOf(InvalidConfigurationException.class)
        .satisfies(
            e -> {
              assertThat(((InvalidConfigurationException) e).field()).isEqualTo("manifest");
              assertThat(e.getMessage())
                  .startsWith("Invalid manifest 'test.yaml': ")
                  .doesNotContain("\n")
                  .doesNotContain("Exception")
                  .doesNotContain("\tat ");
              message.accept(e.getMessage());
            });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void objectsComeInFileOrderWithTheSha256OfTheBytes() {
    String yaml =
        "---\n# only a comment\n---\n"
            + NS
            + "---\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n"
            + "  namespace: operator\n...\n";

    Manifest manifest = parse(yaml);

    assertThat(manifest.origin()).isEqualTo("test.yaml");
    assertThat(manifest.sha256()).isEqualTo(Sha256.hex(yaml.getBytes(StandardCharsets.UTF_8)));
    assertThat(manifest.objects())
        .extracting(o -> o.kind() + "/" + o.name())
        .containsExactly("Namespace/operator", "ServiceAccount/sa");
  }

  @Test
  void aliasesWithinTheLimitsAreExpandedAsKubectlDoes() {
    Manifest manifest =
        parse(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: &l {app: x}\n"
                + "  annotations: *l\n");

    assertThat(manifest.objects().get(0).labels()).containsEntry("app", "x");
    assertThat(manifest.objects().get(0).annotations()).containsEntry("app", "x");
  }

  @Test
  void billionLaughsIsRefused() {
    StringBuilder yaml = new StringBuilder(NS);
    yaml.append(
        "data:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'i'; c++) {
      char p = (char) (c - 1);
      yaml.append("  ").append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 9; i++) {
        yaml.append(i == 0 ? "" : ",").append('*').append(p);
      }
      yaml.append("]\n");
    }

    refused(
        () -> parse(yaml.toString()),
        m ->
            assertThat(m)
                .contains("document 1")
                .containsAnyOf("more than 50 aliases", "values once aliases are expanded"));
  }

  @Test
  void moreThanFiftyAliasesAreRefusedEvenIfSmall() {
    String yaml = NS + "data:\n  a: &a [x]\n  list: [" + "*a, ".repeat(50) + "*a]\n";

    refused(() -> parse(yaml), m -> assertThat(m).contains("more than 50 aliases"));
    assertThat(parse(NS + "data:\n  a: &a [x]\n  list: [" + "*a, ".repeat(49) + "*a]\n").objects())
        .hasSize(1);
  }

  @Test
  void aFewAliasesOfAHugeAnchorAreRefused() {
    StringBuilder yaml = new StringBuilder(NS).append("data:\n  big: &big [");
    for (int i = 0; i < 200_000; i++) {
      yaml.append(i == 0 ? "1" : ",1");
    }
    yaml.append("]\n  copies: [*big, *big, *big, *big, *big, *big]\n");

    refused(
        () -> parse(yaml.toString()),
        m -> assertThat(m).contains("document 1").contains("more than 1000000 values"));
  }

  @Test
  void tenThousandNestedListsAreRefused() {
    String yaml = NS + "---\n" + "[".repeat(10_000) + "]".repeat(10_000) + "\n";

    refused(
        () -> parse(yaml),
        m -> assertThat(m).contains("document 2").contains("nests deeper than 128 levels"));
  }

  @Test
  void tenThousandNestedMappingsAreRefused() {
    String yaml = "{a: ".repeat(10_000) + "1" + "}".repeat(10_000) + "\n";

    refused(
        () -> parse(yaml),
        m -> assertThat(m).contains("document 1").contains("nests deeper than 128 levels"));
  }

  @Test
  void moreThanEightMibIsRefusedBeforeParsing() {
    byte[] bytes = new byte[8 * 1024 * 1024 + 1];
    java.util.Arrays.fill(bytes, (byte) '{'); // would be a syntax error if it were parsed

    refused(
        () -> Manifests.parse("test.yaml", bytes),
        m ->
            assertThat(m)
                .contains("8388609 bytes")
                .contains("8 MiB")
                .contains("refused without parsing it"));
  }

  @Test
  void aDocumentThatIsNotAMappingIsRefused() {
    refused(
        () -> parse(NS + "---\n- just\n- a list\n"),
        m -> assertThat(m).contains("document 2 (starting at line 6)").contains("is a list"));
    refused(
        () -> parse("just a string\n"),
        m -> assertThat(m).contains("document 1").contains("is a string, not a mapping"));
  }

  @Test
  void aDocumentWithoutKindIsRefused() {
    refused(
        () -> parse(NS + "---\napiVersion: v1\nmetadata:\n  name: x\n"),
        m -> assertThat(m).contains("document 2").contains("has no kind"));
  }

  @Test
  void aDocumentWithoutApiVersionOrNameIsRefused() {
    refused(
        () -> parse("kind: Namespace\nmetadata:\n  name: x\n"),
        m -> assertThat(m).contains("document 1").contains("has no apiVersion"));
    refused(
        () -> parse("apiVersion: v1\nkind: Namespace\nmetadata:\n  generateName: x-\n"),
        m -> assertThat(m).contains("(kind Namespace) has no metadata.name"));
  }

  @Test
  void duplicateKeysAreRefused() {
    refused(
        () -> parse("apiVersion: v1\nkind: Namespace\nkind: Secret\nmetadata:\n  name: x\n"),
        m -> assertThat(m).contains("document 1").contains("'kind'").contains("line 3"));
  }

  @Test
  void customTagsAreRefused() {
    refused(
        () -> parse(NS + "data: !!python/object/apply:os.system [\"id\"]\n"),
        m -> assertThat(m).contains("uses the tag").contains("no custom tags"));
    refused(
        () -> parse(NS + "data: !Ref other\n"), m -> assertThat(m).contains("uses the tag !Ref"));
  }

  @Test
  void mergeKeysAreRefused() {
    refused(
        () -> parse(NS + "base: &b {x: 1}\ndata:\n  <<: *b\n"),
        m -> assertThat(m).contains("merge key (<<)"));
  }

  @Test
  void anAliasToAMissingAnchorIsRefused() {
    refused(() -> parse(NS + "data: *nowhere\n"), m -> assertThat(m).contains("*nowhere"));
    // Jackson does not report anchors on single values: refused, never read as the text "a"
    refused(
        () -> parse(NS + "data:\n  a: &a x\n  b: *a\n"),
        m -> assertThat(m).contains("*a").contains("anchors on single values are not supported"));
  }

  @Test
  void syntaxErrorsNameTheDocumentAndLineWithoutAStackTrace() {
    refused(
        () -> parse(NS + "---\napiVersion: v1\nkind: [unclosed\nmetadata: {name: x}\n"),
        m -> assertThat(m).contains("document 2").contains("is not valid YAML"));
  }

  @Test
  void quotedEmptyStringsStayStringsAndBareKeysAreNull() {
    Manifest manifest = parse(NS + "data:\n  empty: ''\n  missing:\n  str: !!str 123\n");

    assertThat(manifest.objects().get(0).at("/data/empty").isTextual()).isTrue();
    assertThat(manifest.objects().get(0).at("/data/missing").isNull()).isTrue();
    assertThat(manifest.objects().get(0).at("/data/str").asText()).isEqualTo("123");
    assertThat(manifest.objects().get(0).at("/data/str").isTextual()).isTrue();
  }
}
