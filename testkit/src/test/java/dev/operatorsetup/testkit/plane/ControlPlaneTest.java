package dev.operatorsetup.testkit.plane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

class ControlPlaneTest {
  @TempDir Path repo;

  /** A stand-in for scripts/control-plane that "starts" by touching a file. */
  private Path fakeRepo(String startExit) throws IOException {
    Files.writeString(repo.resolve("mvnw"), "#!/bin/sh\n");
    Path scripts = Files.createDirectories(repo.resolve("scripts"));
    Files.writeString(
        repo.resolve("admin.kubeconfig"),
        "apiVersion: v1\nclusters:\n- name: x\n  cluster:\n    server: https://127.0.0.1:16443\n");
    Files.writeString(repo.resolve("ca.crt"), "pem");
    Path script = scripts.resolve("control-plane");
    Files.writeString(
        script,
        """
        #!/bin/sh
        d=$(cd "$(dirname "$0")/.." && pwd)
        case "$1" in
          status) if [ -f "$d/started" ]; then echo "running x"; exit 0; fi; echo stopped; exit 1 ;;
          start) echo "building..." >&2; [ %s = 0 ] && touch "$d/started"; exit %s ;;
          kubeconfig) echo "$d/admin.kubeconfig" ;;
          ca) echo "$d/ca.crt" ;;
        esac
        """
            .formatted(startExit, startExit));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return Files.createDirectories(repo.resolve("kubernetes").resolve("target"));
  }

  @Test
  void locate_startsAStoppedPlane_thenReadsKubeconfigCaAndServer() throws IOException {
    Path module = fakeRepo("0");

    ControlPlane.Outcome outcome = ControlPlane.locate(module, Map.of(), true);

    assertThat(outcome.unavailable()).isNull();
    assertThat(outcome.plane().kubeconfig()).isEqualTo(repo.resolve("admin.kubeconfig"));
    assertThat(outcome.plane().caCertificate()).contains(repo.resolve("ca.crt"));
    assertThat(outcome.plane().server()).hasToString("https://127.0.0.1:16443");
    assertThat(repo.resolve("started")).exists();
  }

  @Test
  void locate_withoutStarting_reportsThatThePlaneIsNotRunning() throws IOException {
    Path module = fakeRepo("0");

    ControlPlane.Outcome outcome = ControlPlane.locate(module, Map.of(), false);

    assertThat(outcome.plane()).isNull();
    assertThat(outcome.unavailable()).contains("not running");
    assertThat(repo.resolve("started")).doesNotExist();
  }

  @Test
  void locate_whenStartFails_saysSoWithTheExitCode() throws IOException {
    Path module = fakeRepo("3");

    ControlPlane.Outcome outcome = ControlPlane.locate(module, Map.of(), true);

    assertThat(outcome.plane()).isNull();
    assertThat(outcome.unavailable()).contains("start failed with exit code 3");
  }

  @Test
  void locate_prefersAnExistingOperatorSetupKubeconfig() throws IOException {
    fakeRepo("0");
    Map<String, String> env =
        Map.of(
            "OPERATOR_SETUP_KUBECONFIG", repo.resolve("admin.kubeconfig").toString(),
            "OPERATOR_SETUP_CA", repo.resolve("ca.crt").toString());

    ControlPlane.Outcome outcome = ControlPlane.locate(Path.of("/"), env, true);

    assertThat(outcome.plane().kubeconfig()).isEqualTo(repo.resolve("admin.kubeconfig"));
    assertThat(outcome.plane().caCertificate()).contains(repo.resolve("ca.crt"));
    assertThat(repo.resolve("started")).doesNotExist();
  }

  @Test
  void locate_withAKubeconfigButNoCaVariable_usesTheCaTheKubeconfigEmbeds() throws IOException {
    String pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    Path kubeconfig = repo.resolve("embedded.kubeconfig");
    Files.writeString(
        kubeconfig,
        "apiVersion: v1\nclusters:\n- name: x\n  cluster:\n    certificate-authority-data: "
            + java.util.Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8))
            + "\n    server: https://127.0.0.1:16443\n");

    ControlPlane.Outcome outcome =
        ControlPlane.locate(
            Path.of("/"), Map.of("OPERATOR_SETUP_KUBECONFIG", kubeconfig.toString()), false);

    assertThat(outcome.plane().caCertificate()).isPresent();
    assertThat(Files.readString(outcome.plane().caCertificate().get())).isEqualTo(pem);
    assertThat(outcome.plane().server()).hasToString("https://127.0.0.1:16443");
  }

  @Test
  void locate_outsideARepository_explainsWhatIsMissing() {
    ControlPlane.Outcome outcome = ControlPlane.locate(repo, Map.of(), true);

    assertThat(outcome.plane()).isNull();
    assertThat(outcome.unavailable())
        .contains("OPERATOR_SETUP_KUBECONFIG")
        .contains("scripts/control-plane");
  }

  @Test
  void unavailable_failsOnCi_andSkipsWithAPrintedReasonElsewhere() {
    RuntimeException onCi =
        ControlPlaneExtension.unavailable("SomeIT", "no plane", Map.of("CI", "true"));
    assertThat(onCi).isInstanceOf(IllegalStateException.class).hasMessageContaining("no plane");

    PrintStream err = System.err;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
    RuntimeException locally;
    try {
      locally = ControlPlaneExtension.unavailable("SomeIT", "no plane", Map.of());
    } finally {
      System.setErr(err);
    }
    assertThat(locally).isInstanceOf(TestAbortedException.class).hasMessageContaining("no plane");
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("SKIPPED SomeIT: no plane");
  }
}
