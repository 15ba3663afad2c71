package dev.operatorsetup.examples;

import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.testkit.FakeWorld;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;

/** A run of the command in this JVM, its exit code and output captured. */
record InProcess(int exit, String out, String err) {
  /** Runs the command with its options changed by {@code fakes} (e.g. in-memory ports). */
  static InProcess run(UnaryOperator<OperatorSetup.Options> fakes, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = Main.run(args, o, e, fakes);
    }
    return new InProcess(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs the command on the world's fakes: AWS in {@code region}, its Kubernetes. */
  static InProcess run(FakeWorld world, String region, List<String> args) {
    return run(
        options -> options.withAws(world.aws().services(region)).withKubernetes(world.kubernetes()),
        args.toArray(String[]::new));
  }
}
