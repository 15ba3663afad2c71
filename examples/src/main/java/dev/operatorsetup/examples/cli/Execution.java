package dev.operatorsetup.examples.cli;

import dev.operatorsetup.Manifests;
import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.model.InstallReport;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.ManifestPatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** Runs a command whose inputs parsed: validates them, runs the operation, prints the outcome. */
final class Execution {
  private final Session session;

  Execution(Session session) {
    this.session = session;
  }

  /** Plan, install, verify, doctor or uninstall: one report, exit 1 if it found a problem. */
  int report(Inputs in, Function<OperatorSetup.Options, InstallReport> operation)
      throws IOException {
    OperatorSetup.Options options = prepare(in);
    InstallReport report = operation.apply(options);
    Path file = in.manifestOut.manifestOut;
    if (file != null) {
      Files.writeString(file, options.render(), StandardCharsets.UTF_8);
    }
    if (in.run.json()) {
      new JsonOutput(session).report(in.command, report);
    } else {
      new TextOutput(session).report(report);
    }
    return report.healthy() ? ExitCodes.OK : ExitCodes.FAILED;
  }

  /** Render: the manifest on stdout or in --manifest-out, with the role ARN it names. */
  int render(Inputs in) throws IOException {
    List<KubeObject> objects = prepare(in).renderObjects();
    String yaml = Manifests.toYaml(objects);
    String roleArn =
        objects.stream()
            .filter(o -> o.kind().equals("ServiceAccount"))
            .map(o -> o.annotations().get(ManifestPatch.ROLE_ARN_ANNOTATION))
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(null);
    Path file = in.manifestOut.manifestOut;
    if (file != null) {
      Files.writeString(file, yaml, StandardCharsets.UTF_8);
    }
    if (in.run.json()) {
      new JsonOutput(session).rendered(in, roleArn, objects.size(), yaml, file);
    } else if (file != null) {
      new TextOutput(session).wrote(objects.size(), file, roleArn);
    } else {
      new TextOutput(session).manifest(yaml);
    }
    return ExitCodes.OK;
  }

  /** Checks the inputs and returns the library's options, with the session's changes applied. */
  private OperatorSetup.Options prepare(Inputs in) {
    Validation.check(in);
    TextOutput text = new TextOutput(session);
    return session.customize().apply(Validation.options(in, in.run.json() ? null : text::progress));
  }
}
