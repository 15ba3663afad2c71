package dev.operatorsetup.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operatorsetup.examples.CommandBadInputTest.Run;
import dev.operatorsetup.model.ManifestPatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every input the user gives is checked, whether or not the mode uses it (the table in README.md,
 * "Which inputs each command checks"): a manifest, image overrides, a kubeconfig and a context are
 * read and checked with {@code --aws-only} too and before verify, doctor and uninstall read
 * anything; switches that act on the cluster are refused with {@code --aws-only}; a kubeconfig that
 * turns TLS verification off is refused unless {@code --insecure-skip-tls-verify}. Each refusal
 * exits 2 naming the option, the value and the fix, and the fakes' call log shows that nothing was
 * read or written.
 */
class CommandInputsTest {
  @TempDir static Path dir;

  /** One refused invocation: its arguments, the flag, the value and a piece of the fix. */
  record Case(String label, Supplier<List<String>> args, String flag, String value, String fix) {
    @Override
    public String toString() {
      return label;
    }
  }

  private static Arguments refused(
      String label, String flag, String value, String fix, Supplier<List<String>> args) {
    return Arguments.of(new Case(label, args, flag, value, fix));
  }

  /** {@code command --aws-only} with the good kubeconfig and {@code --context context}. */
  private static Supplier<List<String>> awsOnlyInContext(String command, String context) {
    return cmd(command, "--aws-only", "--kubeconfig", "$DIR/good-kubeconfig", "--context", context);
  }

  private static Supplier<List<String>> cmd(String command, String... more) {
    return () -> {
      List<String> args = CommandBadInputTest.required(command);
      for (String m : more) {
        args.add(m.replace("$DIR", dir.toString()));
      }
      return args;
    };
  }

  static Stream<Arguments> cases() {
    write("nosa.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n");
    write("notkube.yaml", "just: text\n");
    write("good-kubeconfig", kubeconfig(false));
    write("insecure-kubeconfig", kubeconfig(true));
    String missing = "$DIR/no-such.yaml";
    return Stream.of(
        // the manifest, read and checked in every mode
        refused(
            "install --aws-only, missing manifest",
            "--manifest",
            "no-such.yaml",
            "Fix",
            cmd("install", "--aws-only", "--manifest", missing)),
        refused(
            "plan --aws-only, manifest without the ServiceAccount",
            "--service-account",
            "nosa.yaml",
            "Fix",
            cmd("plan", "--aws-only", "--manifest", "$DIR/nosa.yaml")),
        refused(
            "verify --aws-only, missing manifest",
            "--manifest",
            "no-such.yaml",
            "Fix",
            cmd("verify", "--aws-only", "--manifest", missing)),
        refused(
            "doctor --aws-only, missing manifest",
            "--manifest",
            "no-such.yaml",
            "Fix",
            cmd("doctor", "--aws-only", "--manifest", missing)),
        refused(
            "uninstall --aws-only, missing manifest",
            "--manifest",
            "no-such.yaml",
            "Fix",
            cmd("uninstall", "--aws-only", "--manifest", missing)),
        refused(
            "uninstall, manifest without the ServiceAccount",
            "--service-account",
            "nosa.yaml",
            "Fix",
            cmd("uninstall", "--manifest", "$DIR/nosa.yaml")),
        refused(
            "verify, missing manifest",
            "--manifest",
            "no-such.yaml",
            "Fix",
            cmd("verify", "--manifest", missing)),
        // image overrides apply to the manifest
        refused(
            "install --aws-only, image the manifest does not run",
            "--image",
            "gcr.io/x:1",
            "override one of the images it runs",
            cmd("install", "--aws-only", "--image", "gcr.io/x:1=quay.io/y:1")),
        refused(
            "render, image the manifest does not run",
            "--image",
            "gcr.io/x:1",
            "override one of the images it runs",
            cmd("render", "--image", "gcr.io/x:1=quay.io/y:1")),
        refused(
            "plan, image not in the given manifest",
            "--image",
            "gcr.io/x:1",
            ManifestPatch.DEAD_RBAC_PROXY,
            cmd("plan", "--manifest", "v1.1.0", "--image", "gcr.io/x:1=quay.io/y:1")),
        // kubeconfig and context, read with --aws-only and before any AWS read
        refused(
            "install --aws-only, missing kubeconfig",
            "--kubeconfig",
            "no-such.yaml",
            "Fix",
            cmd("install", "--aws-only", "--kubeconfig", missing)),
        refused(
            "install --aws-only, file that is not a kubeconfig",
            "--kubeconfig",
            "notkube.yaml",
            "Fix",
            cmd("install", "--aws-only", "--kubeconfig", "$DIR/notkube.yaml")),
        refused(
            "install --aws-only, context not in the kubeconfig",
            "--context",
            "gamma",
            "pick one of those contexts",
            awsOnlyInContext("install", "gamma")),
        refused(
            "uninstall --aws-only, context not in the kubeconfig",
            "--context",
            "gamma",
            "pick one of those contexts",
            awsOnlyInContext("uninstall", "gamma")),
        refused(
            "verify, context not in the kubeconfig, before any AWS read",
            "--context",
            "gamma",
            "pick one of those contexts",
            cmd("verify", "--kubeconfig", "$DIR/good-kubeconfig", "--context", "gamma")),
        refused(
            "plan --aws-only, empty context",
            "--context",
            "''",
            "Fix",
            awsOnlyInContext("plan", "")),
        // TLS stays on
        refused(
            "install, kubeconfig that turns TLS verification off",
            "--kubeconfig",
            "insecure-kubeconfig",
            "--insecure-skip-tls-verify",
            cmd("install", "--kubeconfig", "$DIR/insecure-kubeconfig")),
        refused(
            "doctor --aws-only, kubeconfig that turns TLS verification off",
            "--kubeconfig",
            "insecure-kubeconfig",
            "--insecure-skip-tls-verify",
            cmd("doctor", "--aws-only", "--kubeconfig", "$DIR/insecure-kubeconfig")),
        // switches that act on the cluster contradict --aws-only
        refused(
            "install --aws-only --force-conflicts",
            "--force-conflicts",
            "true",
            "leave out",
            cmd("install", "--aws-only", "--force-conflicts")),
        refused(
            "plan --aws-only --force-conflicts",
            "--force-conflicts",
            "true",
            "leave out",
            cmd("plan", "--aws-only", "--force-conflicts")),
        refused(
            "uninstall --aws-only --remove-finalizers",
            "--remove-finalizers",
            "true",
            "leave out",
            cmd("uninstall", "--aws-only", "--remove-finalizers")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void exitsTwoNamingTheOptionTheValueAndTheFix_beforeAnyReadOrWrite(Case c) {
    Run run = CommandBadInputTest.run(c.args().get());

    assertThat(run.exit()).as(c.label() + ": exit code; stderr " + run.err()).isEqualTo(2);
    assertThat(run.out()).as(c.label() + ": stdout").isEmpty();
    CommandBadInputTest.assertOneClearError(c.label(), run.err(), c.flag());
    String fix = run.err().substring(run.err().indexOf("Fix"));
    assertThat(run.err()).as(c.label()).contains(c.value());
    assertThat(fix).as(c.label() + ": the fix").contains(c.fix());
    assertThat(run.world().log().calls()).as(c.label() + ": calls to AWS or Kubernetes").isEmpty();
  }

  static Stream<Arguments> accepted() {
    write("good-kubeconfig", kubeconfig(false));
    write("insecure-kubeconfig", kubeconfig(true));
    return Stream.of(
        Arguments.of(cmd("install", "--aws-only", "--manifest", "bundled")),
        Arguments.of(awsOnlyInContext("install", "alpha")),
        Arguments.of(
            cmd(
                "install",
                "--aws-only",
                "--kubeconfig",
                "$DIR/insecure-kubeconfig",
                "--insecure-skip-tls-verify")),
        Arguments.of(
            cmd(
                "install",
                "--aws-only",
                "--image",
                ManifestPatch.DEAD_RBAC_PROXY + "=quay.io/brancz/kube-rbac-proxy:v0.4.0")),
        Arguments.of(cmd("uninstall", "--aws-only", "--keep-crds", "--manifest", "bundled")));
  }

  @ParameterizedTest
  @MethodSource("accepted")
  void goodInputsInTheModesThatDoNotUseThem_areAccepted(Supplier<List<String>> args) {
    Run run = CommandBadInputTest.run(args.get());

    assertThat(run.exit()).as(args.get() + ": stderr " + run.err()).isZero();
  }

  private static String kubeconfig(boolean insecure) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: one
          cluster:
            server: https://one.example.com
        %s
        users:
        - name: u
          user:
            token: not-a-real-token
        contexts:
        - name: alpha
          context: {cluster: one, user: u}
        current-context: alpha
        """
        .formatted(insecure ? "    insecure-skip-tls-verify: true" : "");
  }

  private static void write(String name, String content) {
    try {
      Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
