package dev.operatorsetup.testkit.plane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real local Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler and kwok on 127.0.0.1), as the repository's {@code scripts/control-plane} runs it.
 * Tests get one with {@link #obtain()} or, in JUnit 5, with {@link RequiresControlPlane}.
 *
 * <p>Where it comes from, in order: {@code OPERATOR_SETUP_KUBECONFIG} (and {@code
 * OPERATOR_SETUP_CA}, else the CA the kubeconfig embeds) if that file exists; else {@code
 * scripts/control-plane status}, {@code kubeconfig} and {@code ca}, the script being found by
 * walking up from the working directory to the directory that holds {@code mvnw}; else {@code
 * scripts/control-plane start}, which builds the binaries on first use (that can take half an hour)
 * and starts the plane, which then keeps running. The answer is remembered for the rest of the JVM.
 */
public final class ControlPlane {
  /**
   * Minutes {@code start} may take, including a first build; env {@code
   * OPERATOR_SETUP_PLANE_START_MINUTES}.
   */
  static final long DEFAULT_START_MINUTES = 60;

  private static final Pattern SERVER = Pattern.compile("(?m)^\\s*server:\\s*(\\S+)\\s*$");
  private static final Pattern CA_DATA =
      Pattern.compile("(?m)^\\s*certificate-authority-data:\\s*(\\S+)\\s*$");
  private static Outcome cached;

  private final Path kubeconfig;
  private final Optional<Path> caCertificate;
  private final URI server;

  private ControlPlane(Path kubeconfig, Optional<Path> caCertificate, URI server) {
    this.kubeconfig = kubeconfig;
    this.caCertificate = caCertificate;
    this.server = server;
  }

  /** Returns the admin kubeconfig (token auth, CA embedded) of the running plane. */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /** Returns the CA certificate that signed the API server's certificate, if known. */
  public Optional<Path> caCertificate() {
    return caCertificate;
  }

  /** Returns the API server's URL, e.g. {@code https://127.0.0.1:16443}. */
  public URI server() {
    return server;
  }

  @Override
  public String toString() {
    return "ControlPlane[" + server + ", kubeconfig " + kubeconfig + "]";
  }

  /** Why there is no plane, or the plane. */
  record Outcome(ControlPlane plane, String unavailable) {}

  /**
   * Returns the running plane, starting it if needed.
   *
   * @throws ControlPlaneUnavailableException saying why there is none
   */
  public static synchronized ControlPlane obtain() {
    if (cached == null) {
      cached = locate(Path.of("").toAbsolutePath(), System.getenv(), true);
    }
    if (cached.plane() == null) {
      throw new ControlPlaneUnavailableException(cached.unavailable());
    }
    return cached.plane();
  }

  /** Returns the plane if one is running now, without starting one. */
  public static Optional<ControlPlane> running() {
    return Optional.ofNullable(
        locate(Path.of("").toAbsolutePath(), System.getenv(), false).plane());
  }

  static Outcome locate(Path workingDir, Map<String, String> env, boolean start) {
    String kubeconfigEnv = env.get("OPERATOR_SETUP_KUBECONFIG");
    if (kubeconfigEnv != null && !kubeconfigEnv.isBlank()) {
      Path kubeconfig = Path.of(kubeconfigEnv);
      if (Files.isRegularFile(kubeconfig)) {
        Optional<Path> ca =
            Optional.ofNullable(env.get("OPERATOR_SETUP_CA"))
                .map(Path::of)
                .filter(Files::isRegularFile);
        return of(kubeconfig, ca);
      }
    }
    Optional<Path> script = findScript(workingDir);
    if (script.isEmpty()) {
      return new Outcome(
          null,
          "no control plane: OPERATOR_SETUP_KUBECONFIG is not set (or names no file) and there is"
              + " no scripts/control-plane next to an mvnw above "
              + workingDir);
    }
    Run status = run(script.get(), "status", Duration.ofSeconds(60), false);
    if (status.exit() != 0) {
      if (!start) {
        return new Outcome(null, "the control plane is not running (" + script.get() + " status)");
      }
      long minutes = startMinutes(env);
      System.err.println(
          "[operator-setup] starting the local control plane with "
              + script.get()
              + " start (the first run builds it, which can take a long time) ...");
      Run started = run(script.get(), "start", Duration.ofMinutes(minutes), true);
      if (started.exit() != 0) {
        return new Outcome(
            null,
            script.get()
                + " start "
                + (started.exit() == Run.TIMED_OUT
                    ? "did not finish within " + minutes + " minutes"
                    : "failed with exit code " + started.exit())
                + " (its output is above; logs: "
                + script.get()
                + " logs)");
      }
    }
    Run kubeconfig = run(script.get(), "kubeconfig", Duration.ofSeconds(60), false);
    if (kubeconfig.exit() != 0 || kubeconfig.out().isBlank()) {
      return new Outcome(
          null, script.get() + " kubeconfig failed with exit code " + kubeconfig.exit());
    }
    Run ca = run(script.get(), "ca", Duration.ofSeconds(60), false);
    Optional<Path> caPath =
        ca.exit() == 0 && !ca.out().isBlank()
            ? Optional.of(Path.of(ca.out().trim())).filter(Files::isRegularFile)
            : Optional.empty();
    return of(Path.of(kubeconfig.out().trim()), caPath);
  }

  private static Outcome of(Path kubeconfig, Optional<Path> ca) {
    String text;
    try {
      text = Files.readString(kubeconfig, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return new Outcome(null, "cannot read the kubeconfig " + kubeconfig + ": " + e.getMessage());
    }
    Matcher m = SERVER.matcher(text);
    if (!m.find()) {
      return new Outcome(null, "the kubeconfig " + kubeconfig + " names no server");
    }
    if (ca.isEmpty()) {
      // OPERATOR_SETUP_KUBECONFIG without OPERATOR_SETUP_CA (as scripts/test exports it): the
      // plane's kubeconfig embeds the CA.
      ca = embeddedCa(text);
    }
    return new Outcome(new ControlPlane(kubeconfig, ca, URI.create(m.group(1))), null);
  }

  /** Writes the kubeconfig's certificate-authority-data to a temporary file, if it has one. */
  private static Optional<Path> embeddedCa(String kubeconfig) {
    Matcher m = CA_DATA.matcher(kubeconfig);
    if (!m.find()) {
      return Optional.empty();
    }
    try {
      byte[] pem = java.util.Base64.getDecoder().decode(m.group(1));
      Path file = Files.createTempFile("operator-setup-plane-ca", ".crt");
      file.toFile().deleteOnExit();
      Files.write(file, pem);
      return Optional.of(file);
    } catch (IllegalArgumentException | IOException e) {
      return Optional.empty();
    }
  }

  private static long startMinutes(Map<String, String> env) {
    try {
      return Long.parseLong(env.getOrDefault("OPERATOR_SETUP_PLANE_START_MINUTES", "").trim());
    } catch (NumberFormatException e) {
      return DEFAULT_START_MINUTES;
    }
  }

  /** Walks up from {@code dir} to the first directory with {@code mvnw}; returns its script. */
  static Optional<Path> findScript(Path dir) {
    for (Path d = dir.toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("mvnw"))) {
        Path script = d.resolve("scripts").resolve("control-plane");
        return Files.isExecutable(script) ? Optional.of(script) : Optional.empty();
      }
    }
    return Optional.empty();
  }

  private record Run(int exit, String out) {
    static final int TIMED_OUT = -1;
  }

  private static Run run(Path script, String command, Duration timeout, boolean showProgress) {
    ProcessBuilder pb = new ProcessBuilder(List.of(script.toString(), command));
    pb.redirectInput(ProcessBuilder.Redirect.from(nullFile()));
    pb.redirectError(
        showProgress ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.DISCARD);
    Path out;
    try {
      out = Files.createTempFile("control-plane-" + command, ".out");
      pb.redirectOutput(out.toFile());
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroy();
        return new Run(Run.TIMED_OUT, "");
      }
      String text = Files.readString(out, StandardCharsets.UTF_8);
      if (showProgress && !text.isBlank()) {
        System.err.print(text);
      }
      return new Run(p.exitValue(), text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + script + " " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Run(Run.TIMED_OUT, "");
    }
  }

  private static java.io.File nullFile() {
    return new java.io.File(
        Objects.requireNonNullElse(System.getProperty("os.name"), "").startsWith("Windows")
            ? "NUL"
            : "/dev/null");
  }
}
