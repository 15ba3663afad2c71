package dev.operatorsetup.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.operatorsetup.model.InstallReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The JSON output: exactly one document on stdout, with command, cluster, region, roleArn,
 * oidcProviderArn, changes and ok, plus checks, the rendered manifest or the error.
 */
final class JsonOutput {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new Jdk8Module())
          .enable(SerializationFeature.INDENT_OUTPUT);

  private final PrintStream out;

  JsonOutput(Session session) {
    this.out = session.out();
  }

  /** The report of plan, install, verify, doctor or uninstall. */
  void report(String command, InstallReport report) throws IOException {
    ObjectNode doc = MAPPER.valueToTree(report);
    doc.put("command", command);
    doc.put("roleArn", report.roleArn().orElse(null));
    doc.put("oidcProviderArn", report.oidcProviderArn().orElse(null));
    doc.put("ok", report.healthy());
    print(doc);
  }

  /** What render made: the manifest itself, or where --manifest-out wrote it. */
  void rendered(Inputs in, String roleArn, int objects, String yaml, Path file) throws IOException {
    ObjectNode doc = base(in.command, in.cluster.cluster, in.cluster.region);
    doc.put("roleArn", roleArn);
    doc.putNull("oidcProviderArn");
    doc.putArray("changes");
    doc.putArray("checks");
    doc.put("objects", objects);
    if (file != null) {
      doc.put("manifestOut", file.toString());
    } else {
      doc.put("manifest", yaml);
    }
    doc.put("ok", true);
    print(doc);
  }

  /** The error, with the exit code it ends the run with. */
  void error(FailureContext context, String message, int exitCode) throws IOException {
    ObjectNode doc = base(context.command(), context.cluster(), context.region());
    doc.putNull("roleArn");
    doc.putNull("oidcProviderArn");
    doc.putArray("changes");
    doc.put("ok", false);
    doc.putObject("error").put("message", message).put("exitCode", exitCode);
    print(doc);
  }

  private static ObjectNode base(String command, String cluster, String region) {
    ObjectNode doc = MAPPER.createObjectNode();
    doc.put("command", command);
    doc.put("cluster", cluster);
    doc.put("region", region);
    return doc;
  }

  private void print(ObjectNode doc) throws IOException {
    out.println(MAPPER.writeValueAsString(doc));
  }
}
