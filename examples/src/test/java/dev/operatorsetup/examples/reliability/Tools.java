package dev.operatorsetup.examples.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Runs external commands: kubectl, the AWS CLI, and the operator-setup command's jar. */
final class Tools {
  private Tools() {}

  /** What a finished process printed, and its exit code. */
  record Result(List<String> command, int exit, String stdout, String stderr) {
    String requireSuccess() {
      if (exit != 0) {
        throw new AssertionError(
            String.join(" ", command)
                + " exited "
                + exit
                + "\nstdout: "
                + stdout
                + "\nstderr: "
                + stderr);
      }
      return stdout;
    }

    /** Everything the process printed. */
    String output() {
      return stdout + "\n" + stderr;
    }
  }

  static Result run(List<String> command, Map<String, String> env) {
    return run(command, env, Duration.ofMinutes(3));
  }

  static Result run(List<String> command, Map<String, String> env, Duration timeout) {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    try {
      Process p = pb.start();
      CompletableFuture<String> out = drain(p.getInputStream());
      CompletableFuture<String> err = drain(p.getErrorStream());
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
      }
      return new Result(command, p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "(unreadable: " + e + ")";
          }
        });
  }

  // ------------------------------------------------------------------ the command

  /** The shaded jar the examples module builds in {@code package}, before failsafe runs. */
  static Path jar() {
    for (Path p :
        List.of(
            Path.of("target/operator-setup.jar"),
            Emulators.repositoryRoot().resolve("examples/target/operator-setup.jar"))) {
      if (Files.isRegularFile(p)) {
        return p.toAbsolutePath();
      }
    }
    throw new AssertionError("examples/target/operator-setup.jar is missing; run mvn package");
  }

  /** {@code java [jvmOptions] -jar operator-setup.jar args}, as bin/operator-setup runs it. */
  static List<String> command(List<String> jvmOptions, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(args);
    return command;
  }

  /** Environment for the command on moto: test credentials, no profile. */
  static Map<String, String> awsEnv() {
    return Map.of(
        "AWS_ACCESS_KEY_ID", "testing",
        "AWS_SECRET_ACCESS_KEY", "testing",
        "AWS_REGION", Emulators.REGION);
  }

  /** Deletes what is in the directory (not the directory itself). */
  static void deleteContents(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(dir)) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Result operatorSetup(List<String> args) {
    return run(command(List.of(), args), awsEnv());
  }

  /**
   * Starts the command and kills it (SIGKILL) as soon as a line of its stderr matches; returns the
   * stderr up to that line, or fails if the process ended first.
   */
  static String killWhen(List<String> args, Predicate<String> line) {
    StringBuilder seen = new StringBuilder();
    Path tmp = null;
    try {
      // The killed process leaves what it extracted to its temporary directory behind.
      tmp = Files.createTempDirectory("killed");
      ProcessBuilder pb = new ProcessBuilder(command(List.of("-Djava.io.tmpdir=" + tmp), args));
      pb.environment().putAll(awsEnv());
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
      Process p = pb.start();
      try (BufferedReader err =
          new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String l = err.readLine(); l != null; l = err.readLine()) {
          seen.append(l).append('\n');
          if (line.test(l)) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            return seen.toString();
          }
        }
      }
      p.waitFor(30, TimeUnit.SECONDS);
      throw new AssertionError(
          "the command ended (exit " + p.exitValue() + ") before the line to kill it at:\n" + seen);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      if (tmp != null) {
        deleteContents(tmp);
      }
    }
  }
}
