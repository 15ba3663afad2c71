package dev.operatorsetup.examples.reliability;

import dev.operatorsetup.aws.AwsPorts;
import dev.operatorsetup.kubernetes.KubernetesPorts;
import dev.operatorsetup.port.Kubernetes;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/operator-setup} as a process, reaching the emulators through a pair of {@link
 * FlakyProxy}: one in front of moto_server ({@code --aws-endpoint}), one in front of the plane's
 * API server (a kubeconfig of its own, plain HTTP to the proxy, which speaks TLS to the plane).
 * Each run's writes are logged by a {@link WriteLog}, which may kill the process at one of them.
 */
final class ProxiedCommand implements AutoCloseable {
  static final Duration RUN_LIMIT = Duration.ofMinutes(3);

  /** What a run did: its exit code (137: SIGKILL), output, writes, wall time. */
  record Run(int exit, String output, WriteLog log, Duration took) {
    Run requireSuccess() {
      if (exit != 0) {
        throw new AssertionError("the command exited " + exit + ":\n" + output);
      }
      return this;
    }
  }

  final FlakyProxy aws;
  final FlakyProxy kube;
  final Path kubeconfig;
  private final Emulators em;
  private final Path dir;

  ProxiedCommand(Emulators em, Path dir) {
    this.em = em;
    this.dir = dir;
    try {
      this.aws = new FlakyProxy(em.moto.endpoint(), null);
      this.kube = new FlakyProxy(em.plane.server(), em.planeTls());
      this.kubeconfig = dir.resolve("proxy.kubeconfig");
      Files.writeString(kubeconfig, kubeconfig(kube, em.adminToken()));
      Files.createDirectories(dir.resolve("home"));
      Files.createDirectories(dir.resolve("tmp"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String kubeconfig(FlakyProxy proxy, String token) {
    return String.join(
        "\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: proxy",
        "  cluster:",
        "    server: " + proxy.endpoint(),
        "contexts:",
        "- name: proxy",
        "  context:",
        "    cluster: proxy",
        "    user: admin",
        "current-context: proxy",
        "users:",
        "- name: admin",
        "  user:",
        "    token: " + token,
        "");
  }

  /** {@code command} of the cluster into the namespace, through the proxies. */
  List<String> args(String command, String cluster, String namespace) {
    return List.copyOf(
        em.args(
            command, cluster, namespace, aws.endpoint(), "--kubeconfig", kubeconfig.toString()));
  }

  /** AWS ports through the proxy (the caller closes them), for runs inside this JVM. */
  AwsPorts awsPorts() {
    return AwsPorts.builder()
        .region(Emulators.REGION)
        .credentialsProvider(Emulators.CREDENTIALS)
        .endpointOverride(aws.endpoint())
        .consistencyTimeout(Duration.ofSeconds(10))
        .build();
  }

  /** Kubernetes through the proxy (the caller closes it), for runs inside this JVM. */
  Kubernetes kubernetes() {
    return KubernetesPorts.fromKubeconfig(kubeconfig);
  }

  /** Logs the writes of what goes through the proxies from now on in {@code log}. */
  void tap(WriteLog log) {
    aws.tap(log == null ? null : log.on("aws"));
    kube.tap(log == null ? null : log.on("kubernetes"));
  }

  /** Runs the command to its end (or its kill), its writes logged in {@code log}. */
  Run run(List<String> args, WriteLog log) {
    tap(log);
    long start = System.nanoTime();
    try {
      Path output = Files.createTempFile(dir, "run", ".log");
      Process p = start(args, output);
      log.process(p);
      if (!p.waitFor(RUN_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new AssertionError("the command did not end within " + RUN_LIMIT + ": " + args);
      }
      awaitIdle();
      String out = Files.readString(output, StandardCharsets.UTF_8);
      Files.delete(output);
      Tools.deleteContents(dir.resolve("tmp"));
      return new Run(p.exitValue(), out, log, Duration.ofNanos(System.nanoTime() - start));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      tap(null);
    }
  }

  /** Waits until the proxies have passed on what they had: a killed run's writes in flight. */
  void awaitIdle() {
    if (!aws.awaitIdle(Duration.ofSeconds(90)) || !kube.awaitIdle(Duration.ofSeconds(90))) {
      throw new AssertionError("the proxies still pass on requests 90 s after the run ended");
    }
  }

  private Process start(List<String> args, Path output) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Emulators.repositoryRoot().resolve("bin/operator-setup").toString());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(name -> name.startsWith("AWS_") || name.equals("KUBECONFIG"));
    env.putAll(Tools.awsEnv());
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("HOME", dir.resolve("home").toString());
    // A temporary directory of its own, emptied after each run: a process killed with SIGKILL
    // leaves what it extracted there (helm-java's native library: ~100 MB, the bundled chart).
    env.put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + dir.resolve("tmp"));
    env.put(
        "PATH",
        Path.of(System.getProperty("java.home"), "bin")
            + File.pathSeparator
            + env.getOrDefault("PATH", "/usr/bin:/bin"));
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.redirectErrorStream(true);
    pb.redirectOutput(output.toFile());
    return pb.start();
  }

  Emulators emulators() {
    return em;
  }

  @Override
  public void close() {
    aws.close();
    kube.close();
  }
}
