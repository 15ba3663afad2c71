package dev.operatorsetup.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operatorsetup.testkit.FakeWorld;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input through the command, in process: every case exits 2 with one error line on stderr that
 * names the offending option or value and the fix, without a stack trace, and with {@code --output
 * json} prints exactly one JSON document with the error. The AWS and Kubernetes ports are in-memory
 * fakes put in place after validation; their call log proves that no case got as far as a read.
 *
 * <p>Cases that only AWS or the cluster can refuse (missing cluster or policy, a cluster in another
 * region, a context the kubeconfig lacks) are in {@code CommandIT}, against moto_server and the
 * local control plane.
 */
class CommandBadInputTest {
  static final String CLUSTER = "FSxL-Persistent-Cluster";
  static final String REGION = "us-east-1";
  static final String ROLE = "eks-fsx-cluster-role";
  static final String SA_NAME = "sagemaker-k8s-operator-default";
  static final String NS = "sagemaker-k8s-operator-system";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w.$/]+\\(");
  private static final Pattern SENTENCE_END = Pattern.compile("[.!?](?=\\s+[A-Z(]|\\s*$)");

  @TempDir static Path dir;

  // ------------------------------------------------------------------------------ the cases

  /** One bad invocation: what it is, its arguments, and what stderr must mention. */
  record Case(String label, Supplier<List<String>> args, String mentions) {
    @Override
    public String toString() {
      return label;
    }
  }

  private static Arguments bad(String label, String mentions, Supplier<List<String>> args) {
    return Arguments.of(new Case(label, args, mentions));
  }

  /** The seed's install command with {@code option} set to {@code value} (replaced or added). */
  private static Supplier<List<String>> with(String option, String value) {
    return () -> {
      List<String> args = new ArrayList<>(base());
      int at = args.indexOf(option);
      if (at >= 0) {
        args.set(at + 1, value);
      } else {
        args.add(option);
        args.add(value);
      }
      return args;
    };
  }

  private static Supplier<List<String>> args(String... args) {
    return () -> List.of(args);
  }

  private static Supplier<List<String>> without(String option) {
    return () -> {
      List<String> args = new ArrayList<>(base());
      int at = args.indexOf(option);
      args.remove(at + 1);
      args.remove(at);
      return args;
    };
  }

  private static Supplier<List<String>> manifestFile(String name, Supplier<String> content) {
    return () -> with("--manifest", write(name, content.get()).toString()).get();
  }

  private static List<String> base() {
    return required("install");
  }

  /** A command with the three options every command requires, as a list that may grow. */
  static List<String> required(String command) {
    return new java.util.ArrayList<>(
        List.of(command, "--cluster", CLUSTER, "--region", REGION, "--role", ROLE));
  }

  static Stream<Arguments> cases() {
    String pin = "0123456789abcdef".repeat(4);
    return Stream.of(
        // cluster names: EKS allows 1-100 of letters, digits, - and _, starting alphanumeric
        bad("empty cluster name", "--cluster", with("--cluster", "")),
        bad("cluster name with a leading dash", "'-x'", with("--cluster", "-x")),
        bad("cluster name of 101 characters", "--cluster", with("--cluster", "c".repeat(101))),
        bad("cluster name with a space", "'my cluster'", with("--cluster", "my cluster")),
        bad("cluster name with a non-ASCII letter", "clüster", with("--cluster", "clüster")),
        // regions
        bad("region without a number", "'us-east'", with("--region", "us-east")),
        bad("region that does not exist", "moon-base-1", with("--region", "moon-base-1")),
        bad("region in capitals", "US-EAST-1", with("--region", "US-EAST-1")),
        bad("ISO region", "us-isob-east-1", with("--region", "us-isob-east-1")),
        bad("empty region", "--region", with("--region", "")),
        // role names: IAM allows 1-64 of [\w+=,.@-]
        bad("empty role name", "--role", with("--role", "")),
        bad("role name of 65 characters", "--role", with("--role", "r".repeat(65))),
        bad("role name with a slash", "'a/b'", with("--role", "a/b")),
        bad("role name with a space", "'a b'", with("--role", "a b")),
        bad("role name with a non-ASCII letter", "rôle", with("--role", "rôle")),
        // Kubernetes names
        bad("namespace with capitals", "Team-A", with("--namespace", "Team-A")),
        bad("namespace of 64 characters", "--namespace", with("--namespace", "n".repeat(64))),
        bad("namespace with an underscore", "team_a", with("--namespace", "team_a")),
        bad("empty namespace", "--namespace", with("--namespace", "")),
        bad("service account with capitals", "Operator", with("--service-account", "Operator")),
        bad(
            "service account of 254 characters",
            "--service-account",
            with("--service-account", "a".repeat(254))),
        bad("service account with a slash", "ns/op", with("--service-account", "ns/op")),
        // policy ARNs of the wrong kind or partition
        bad(
            "policy given by name",
            "AmazonSageMakerFullAccess",
            with("--policy-arn", "AmazonSageMakerFullAccess")),
        bad(
            "role ARN given as a policy",
            "arn:aws:iam::123456789012:role/x",
            with("--policy-arn", "arn:aws:iam::123456789012:role/x")),
        bad(
            "China policy for a us-east-1 cluster",
            "aws-cn",
            with("--policy-arn", "arn:aws-cn:iam::aws:policy/AmazonSageMakerFullAccess")),
        bad(
            "GovCloud policy for a us-east-1 cluster",
            "aws-us-gov",
            with("--policy-arn", "arn:aws-us-gov:iam::aws:policy/AmazonSageMakerFullAccess")),
        bad(
            "S3 ARN as a policy",
            "arn:aws:s3:::bucket",
            with("--policy-arn", "arn:aws:s3:::bucket")),
        bad(
            "policy ARN with a five-digit account",
            "arn:aws:iam::12345:policy/P",
            with("--policy-arn", "arn:aws:iam::12345:policy/P")),
        bad(
            "policy ARN of an unknown partition",
            "arn:aws-mars:iam::aws:policy/P",
            with("--policy-arn", "arn:aws-mars:iam::aws:policy/P")),
        // manifests: missing, broken, hostile, or not the operator's
        bad(
            "manifest file that is missing",
            "missing.yaml",
            () -> with("--manifest", dir.resolve("missing.yaml").toString()).get()),
        bad(
            "manifest that is a directory",
            "--manifest",
            () -> with("--manifest", dir.toString()).get()),
        bad(
            "manifest that is not YAML",
            "broken.yaml",
            manifestFile("broken.yaml", () -> "key: [unclosed\n  - : :")),
        bad(
            "manifest with an alias bomb",
            "bomb.yaml",
            manifestFile("bomb.yaml", () -> aliasBomb())),
        bad(
            "manifest nested 10000 deep",
            "deep.yaml",
            manifestFile("deep.yaml", () -> "a: " + "[".repeat(10000) + "]".repeat(10000))),
        bad(
            "manifest of 24 MiB",
            "huge.yaml",
            manifestFile("huge.yaml", () -> "# " + "x".repeat(24 * 1024 * 1024) + "\n")),
        bad(
            "manifest without the operator's ServiceAccount",
            "nosa.yaml",
            manifestFile("nosa.yaml", () -> namespace())),
        bad(
            "manifest with the operator's ServiceAccount twice",
            "twosa.yaml",
            manifestFile("twosa.yaml", () -> namespace() + serviceAccount() + serviceAccount())),
        bad(
            "manifest document without kind",
            "nokind.yaml",
            manifestFile("nokind.yaml", () -> "apiVersion: v1\nmetadata:\n  name: x\n")),
        bad(
            "manifest that is a YAML list",
            "list.yaml",
            manifestFile("list.yaml", () -> "- apiVersion: v1\n  kind: Namespace\n")),
        bad(
            "manifest with a custom tag",
            "tag.yaml",
            manifestFile("tag.yaml", () -> "!!python/object:os.system\napiVersion: v1\n")),
        // manifest URLs
        bad(
            "manifest URL over http",
            "http://example.com/installer.yaml",
            with("--manifest", "http://example.com/installer.yaml#sha256=" + pin)),
        bad(
            "manifest URL without a sha256 pin",
            "https://example.com/installer.yaml",
            with("--manifest", "https://example.com/installer.yaml")),
        bad(
            "manifest URL with a short pin",
            "sha256=abc",
            with("--manifest", "https://example.com/installer.yaml#sha256=abc")),
        bad(
            "manifest URL with an upper-case pin",
            "--manifest",
            with(
                "--manifest",
                "https://example.com/installer.yaml#sha256="
                    + pin.toUpperCase(java.util.Locale.ROOT))),
        bad(
            "manifest URL pinned with md5",
            "md5=",
            with("--manifest", "https://example.com/installer.yaml#md5=" + pin.substring(0, 32))),
        bad(
            "manifest URL over ftp",
            "ftp://example.com/installer.yaml",
            with("--manifest", "ftp://example.com/installer.yaml#sha256=" + pin)),
        bad(
            "manifest as a file: URL",
            "file:/tmp/installer.yaml",
            with("--manifest", "file:/tmp/installer.yaml")),
        bad(
            "manifest URL with credentials",
            "--manifest",
            with("--manifest", "https://user:secret@example.com/installer.yaml#sha256=" + pin)),
        bad(
            "manifest URL without a host",
            "--manifest",
            with("--manifest", "https:///installer.yaml#sha256=" + pin)),
        bad("empty manifest", "--manifest", with("--manifest", "")),
        // kubeconfig
        bad(
            "kubeconfig that is missing",
            "no-such-kubeconfig",
            () -> with("--kubeconfig", dir.resolve("no-such-kubeconfig").toString()).get()),
        bad(
            "kubeconfig that is a directory",
            "--kubeconfig",
            () -> with("--kubeconfig", dir.toString()).get()),
        // durations
        bad("timeout with an unknown unit", "'5x'", with("--timeout", "5x")),
        bad("timeout of zero", "'0s'", with("--timeout", "0s")),
        bad("negative timeout", "'-5m'", with("--timeout", "-5m")),
        bad("timeout without a unit", "'10'", with("--timeout", "10")),
        bad("empty timeout", "--timeout", with("--timeout", "")),
        bad("ISO timeout that does not parse", "'PT'", with("--timeout", "PT")),
        bad(
            "timeout of more hours than a Duration holds",
            "9223372036854775807h",
            with("--timeout", "9223372036854775807h")),
        // thumbprints
        bad("thumbprint too short", "'abc'", with("--thumbprint", "abc")),
        bad("thumbprint not hex", "z".repeat(40), with("--thumbprint", "z".repeat(40))),
        bad("thumbprint of 41 digits", "a".repeat(41), with("--thumbprint", "a".repeat(41))),
        bad("thumbprint word", "'automatic'", with("--thumbprint", "automatic")),
        // output, subcommand, images
        bad("output yaml", "'yaml'", with("--output", "yaml")),
        bad("unknown subcommand", "'frob'", () -> replaceCommand("frob")),
        bad("misspelt subcommand", "'instal'", () -> replaceCommand("instal")),
        bad("image without '='", "'foo'", with("--image", "foo")),
        bad("image with nothing before '='", "'=new:1'", with("--image", "=new:1")),
        bad("image with nothing after '='", "'old:1='", with("--image", "old:1=")),
        bad("image with a space", "a b=c:1", with("--image", "a b=c:1")),
        // missing or unknown options
        bad("missing --cluster", "--cluster", without("--cluster")),
        bad("missing --region", "--region", without("--region")),
        bad("missing --role", "--role", without("--role")),
        bad(
            "missing subcommand",
            "COMMAND",
            () -> base().subList(1, base().size()).stream().toList()),
        bad("no arguments at all", "COMMAND", args()),
        bad("unknown option", "--bogus", () -> concat(base(), "--bogus")),
        bad("--cluster twice", "--cluster", () -> concat(base(), "--cluster", "other")),
        bad("--timeout without a value", "--timeout", () -> concat(base(), "--timeout")),
        bad(
            "AWS endpoint with another scheme",
            "ftp://127.0.0.1:5055",
            with("--aws-endpoint", "ftp://127.0.0.1:5055")),
        bad("AWS endpoint that is not a URL", "'::::'", with("--aws-endpoint", "::::")),
        bad(
            "AWS endpoint without a host",
            "localhost:5055",
            with("--aws-endpoint", "localhost:5055")),
        bad(
            "manifest-out in a directory that does not exist",
            "--manifest-out",
            () -> with("--manifest-out", dir.resolve("no/such/dir/out.yaml").toString()).get()),
        bad(
            "manifest-out that is a directory",
            "--manifest-out",
            () -> with("--manifest-out", dir.toString()).get()));
  }

  private static List<String> replaceCommand(String command) {
    List<String> args = new ArrayList<>(base());
    args.set(0, command);
    return args;
  }

  private static List<String> concat(List<String> args, String... more) {
    List<String> all = new ArrayList<>(args);
    all.addAll(Arrays.asList(more));
    return all;
  }

  private static Path write(String name, String content) {
    try {
      return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String namespace() {
    return "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + NS + "\n";
  }

  private static String serviceAccount() {
    return "---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: "
        + SA_NAME
        + "\n  namespace: "
        + NS
        + "\n";
  }

  /** Ten levels of nine aliases each: a billion "lol"s if the parser expanded them. */
  private static String aliasBomb() {
    StringBuilder b = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    char prev = 'a';
    for (char c = 'b'; c <= 'j'; c++) {
      b.append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 9; i++) {
        b.append(i == 0 ? "" : ",").append('*').append(prev);
      }
      b.append("]\n");
      prev = c;
    }
    return b.toString();
  }

  // ------------------------------------------------------------------------------ running

  record Run(int exit, String out, String err, FakeWorld world) {}

  /** Runs the command in process; past validation it would reach only the in-memory fakes. */
  static Run run(List<String> args) {
    FakeWorld world = new FakeWorld();
    world.addCluster(CLUSTER, REGION);
    world.log().clear();
    InProcess r = InProcess.run(world, REGION, args);
    return new Run(r.exit(), r.out(), r.err(), world);
  }

  /** Asserts the contract's error form on stderr: one line, one or two sentences, a fix. */
  static void assertOneClearError(String label, String err, String mentions) {
    assertThat(STACK_FRAME.matcher(err).find()).as(label + ": stack trace in\n" + err).isFalse();
    List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).as(label + ": stderr lines").hasSize(1);
    String line = lines.get(0);
    assertThat(line).as(label).startsWith("error: ").contains("Fix").contains(mentions);
    assertThat(line.length()).as(label + ": length of " + line).isLessThan(700);
    String text = line.substring("error: ".length());
    Matcher m = SENTENCE_END.matcher(withoutQuotedValues(text));
    int sentences = 0;
    while (m.find()) {
      sentences++;
    }
    assertThat(Math.max(sentences, 1)).as(label + ": sentences in " + text).isLessThanOrEqualTo(2);
  }

  /** The offending value is quoted in the message and may contain anything, full stops included. */
  private static String withoutQuotedValues(String text) {
    return text.replaceAll("'[^']*'", "'…'");
  }

  /** Parses stdout as exactly one JSON document and returns it. */
  static JsonNode onlyJsonDocument(String label, String out) throws IOException {
    try (JsonParser parser = JSON.createParser(out)) {
      JsonNode doc = JSON.readTree(parser);
      assertThat(doc).as(label + ": a JSON document on stdout: " + out).isNotNull();
      assertThat(parser.nextToken()).as(label + ": anything after the document").isNull();
      return doc;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void exitsTwoWithOneClearErrorAndTouchesNothing(Case c) throws IOException {
    List<String> args = c.args().get();

    Run text = run(args);

    assertThat(text.exit()).as(c.label() + ": exit code; stderr " + text.err()).isEqualTo(2);
    assertThat(text.out()).as(c.label() + ": stdout").isEmpty();
    assertOneClearError(c.label(), text.err(), c.mentions());
    assertThat(text.world().log().calls()).as(c.label() + ": calls to AWS or Kubernetes").isEmpty();

    if (args.contains("--output")) {
      return;
    }
    Run json = run(concat(args, "--output", "json"));

    assertThat(json.exit()).as(c.label() + " (json): exit code").isEqualTo(2);
    JsonNode doc = onlyJsonDocument(c.label(), json.out());
    assertThat(doc.path("ok").asBoolean(true)).isFalse();
    assertThat(doc.path("error").path("exitCode").asInt()).isEqualTo(2);
    assertThat(doc.path("error").path("message").asText()).contains("Fix").contains(c.mentions());
    for (String field :
        List.of("command", "cluster", "region", "roleArn", "oidcProviderArn", "changes")) {
      assertThat(doc.has(field)).as(c.label() + ": field " + field + " in " + doc).isTrue();
    }
    assertThat(doc.path("changes").isEmpty()).isTrue();
    assertOneClearError(c.label() + " (json)", json.err(), c.mentions());
    assertThat(json.world().log().calls()).isEmpty();
  }
}
