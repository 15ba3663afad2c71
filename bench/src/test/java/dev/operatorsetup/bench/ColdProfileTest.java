package dev.operatorsetup.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ColdProfileTest {
  @Test
  void classesAreCountedByLibraryAndArchive() {
    ColdProfile p = new ColdProfile();
    p.classes(
        List.of(
            "[0.012s][info][class,load] java.lang.Object source: shared objects file",
            "[0.151s][info][class,load] java.util.concurrent.Callable source: shared objects file"
                + " (top)",
            "[0.343s][info][class,load] software.amazon.awssdk.Foo source: shared objects file"
                + " (top)",
            "[0.720s][info][class,load] io.kubernetes.client.Bar source:"
                + " file:/x/operator-setup.jar",
            "not a class+load line"));
    assertThat(p.classesLoaded).isEqualTo(4);
    assertThat(p.fromJdkArchive).isEqualTo(1);
    assertThat(p.fromAppArchive).isEqualTo(2);
    double[] jdk = p.families.get("JDK");
    assertThat(jdk[ColdProfile.CLASSES]).isEqualTo(2);
    assertThat(jdk[ColdProfile.FROM_JDK_ARCHIVE]).isEqualTo(1);
    assertThat(jdk[ColdProfile.FROM_APP_ARCHIVE]).isEqualTo(1);
    assertThat(jdk[ColdProfile.FIRST]).isEqualTo(12);
    assertThat(jdk[ColdProfile.LAST]).isEqualTo(151);
    assertThat(p.families.get("Kubernetes Java client")[ColdProfile.FROM_APP_ARCHIVE]).isZero();
  }

  @Test
  void stepsComeFromTheProgressLines() {
    ColdProfile p = new ColdProfile();
    p.steps(
        List.of(
            "[  250ms] context: reading the cluster ...",
            "[  500ms] kubernetes: connecting ...",
            "[1.2s] created Namespace x kubernetes: applied",
            "[1.4s] waiting for 8 CRDs to be Established"),
        "installed in 1.6s; role arn:aws:iam::1:role/r\n",
        2000);
    assertThat(p.phases.byPhase.keySet())
        .containsExactly(
            "JVM start, picocli, options (before the engine's first step)",
            "step context",
            "step kubernetes",
            "Kubernetes applies",
            "waits (CRDs Established, rollout)",
            "JVM exit");
    assertThat(p.phases.byPhase.get("step context")).containsExactly(250.0);
    assertThat(p.phases.byPhase.get("waits (CRDs Established, rollout)")).containsExactly(200.0);
    assertThat(p.total).isEqualTo(2000);
  }

  @Test
  void theFirstRunRecordedTheArchiveIfTheJvmLoggedADump(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("cds.log");
    assertThat(AppCdsExperiment.recordedClasses(log)).isEqualTo(-1);
    Files.writeString(log, "");
    assertThat(AppCdsExperiment.recordedClasses(log)).isEqualTo(-1);
    Files.writeString(
        log,
        "[1.523s][info][cds,dynamic] Copying 726 klasses and 15984 symbols\n"
            + "[1.636s][info][cds,dynamic] Archiving hidden x\n");
    assertThat(AppCdsExperiment.recordedClasses(log)).isEqualTo(726);
  }
}
