package dev.operatorsetup.kubernetes;

import dev.operatorsetup.InvalidConfigurationException;
import io.kubernetes.client.util.KubeConfig;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Finds and reads kubeconfig files as kubectl does, with messages that say how to fix them. */
final class Kubeconfigs {
  private Kubeconfigs() {}

  /**
   * Returns the kubeconfig kubectl would use: the first existing file of {@code KUBECONFIG}, else
   * {@code ~/.kube/config} if it exists.
   */
  static Optional<Path> standardLocation(Map<String, String> env, String home) {
    String list = env.get("KUBECONFIG");
    if (list != null && !list.isBlank()) {
      for (String p : list.split(File.pathSeparator)) {
        if (!p.isBlank() && Files.isRegularFile(Path.of(p))) {
          return Optional.of(Path.of(p));
        }
      }
    }
    Path dflt = Path.of(home, ".kube", "config");
    return Files.isRegularFile(dflt) ? Optional.of(dflt) : Optional.empty();
  }

  static Optional<Path> standardLocation() {
    return standardLocation(System.getenv(), System.getProperty("user.home"));
  }

  /** Returns whether this process runs in a pod with a service account token. */
  static boolean inCluster() {
    return System.getenv("KUBERNETES_SERVICE_HOST") != null
        && Files.isRegularFile(Path.of(io.kubernetes.client.util.Config.SERVICEACCOUNT_TOKEN_PATH));
  }

  /**
   * Reads a kubeconfig and selects a context (the current one if none is given).
   *
   * @throws InvalidConfigurationException if the file is missing or unreadable or has no such
   *     context
   */
  static KubeConfig load(Path path, Optional<String> context) {
    if (!Files.isRegularFile(path)) {
      throw new InvalidConfigurationException(
          "kubeconfig",
          path.toString(),
          "the file does not exist",
          "pass the path of an existing kubeconfig, set KUBECONFIG, or create one with 'aws eks"
              + " update-kubeconfig --name <cluster> --region <region>'");
    }
    KubeConfig config;
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      config = KubeConfig.loadKubeConfig(reader);
    } catch (IOException | RuntimeException e) {
      throw new InvalidConfigurationException(
          "kubeconfig",
          path.toString(),
          "it cannot be read as a kubeconfig (" + e.getClass().getSimpleName() + ")",
          "check that the file is a kubeconfig (YAML with clusters, users and contexts)");
    }
    if (config == null) {
      throw new InvalidConfigurationException(
          "kubeconfig", path.toString(), "the file is empty", "write a kubeconfig into it");
    }
    config.setFile(path.toFile());
    if (context.isPresent()) {
      if (!config.setContext(context.get())) {
        throw new InvalidConfigurationException(
            "kubeconfig context",
            context.get(),
            "there is no context of that name in "
                + path
                + " (it has "
                + contextNames(config)
                + ")",
            "pick one of those contexts, or add one with 'aws eks update-kubeconfig --name"
                + " <cluster> --region <region>'");
      }
    } else if (config.getCurrentContext() == null || config.getCurrentContext().isEmpty()) {
      throw new InvalidConfigurationException(
          "kubeconfig",
          path.toString(),
          "it has no current-context and no context was chosen (it has "
              + contextNames(config)
              + ")",
          "choose a context, or run 'kubectl config use-context <name>'");
    }
    return config;
  }

  static List<String> contextNames(KubeConfig config) {
    List<String> names = new ArrayList<>();
    for (Object c : Optional.ofNullable(config.getContexts()).orElse(new ArrayList<>())) {
      if (c instanceof Map<?, ?> m && m.get("name") != null) {
        names.add(String.valueOf(m.get("name")));
      }
    }
    return names;
  }

  /**
   * Refuses a selected context whose cluster turns TLS verification off ({@code
   * insecure-skip-tls-verify: true}) unless {@code allowInsecure}; returns the cluster's name and
   * server if verification is off and allowed, so the caller can warn.
   *
   * @throws InvalidConfigurationException naming the kubeconfig, the context, the cluster, its
   *     server and the explicit option that allows it
   */
  static Optional<String> checkTls(KubeConfig config, Path path, boolean allowInsecure) {
    String context = config.getCurrentContext();
    Optional<Map<?, ?>> cluster = clusterOf(config, context);
    Object insecure =
        cluster
            .map(
                c ->
                    c.get("cluster") instanceof Map<?, ?> d
                        ? d.get("insecure-skip-tls-verify")
                        : null)
            .orElse(null);
    if (!(Boolean.TRUE.equals(insecure) || "true".equalsIgnoreCase(String.valueOf(insecure)))) {
      return Optional.empty();
    }
    Object name = cluster.get().get("name");
    Object server = cluster.get().get("cluster") instanceof Map<?, ?> d ? d.get("server") : null;
    String described = "cluster '" + name + "' (" + server + ")";
    if (!allowInsecure) {
      throw new InvalidConfigurationException(
          "kubeconfig",
          path.toString(),
          "context '"
              + context
              + "' uses "
              + described
              + " with insecure-skip-tls-verify: true, which turns TLS verification off",
          "remove insecure-skip-tls-verify and set certificate-authority-data for that cluster,"
              + " or accept the risk explicitly with allowInsecureKubernetesTls()"
              + " (--insecure-skip-tls-verify)");
    }
    return Optional.of(described);
  }

  /** The entry of {@code clusters} that context {@code context} names. */
  private static Optional<Map<?, ?>> clusterOf(KubeConfig config, String context) {
    for (Object c : Optional.ofNullable(config.getContexts()).orElse(new ArrayList<>())) {
      if (c instanceof Map<?, ?> m
          && String.valueOf(m.get("name")).equals(context)
          && m.get("context") instanceof Map<?, ?> body) {
        for (Object k : Optional.ofNullable(config.getClusters()).orElse(new ArrayList<>())) {
          if (k instanceof Map<?, ?> cluster
              && body.get("cluster") != null
              && body.get("cluster").equals(cluster.get("name"))) {
            return Optional.of(cluster);
          }
        }
      }
    }
    return Optional.empty();
  }

  /** Returns the first context whose cluster's server is {@code endpoint}. */
  static Optional<String> contextForServer(KubeConfig config, String endpoint) {
    String wanted = normalize(endpoint);
    for (Object c : Optional.ofNullable(config.getContexts()).orElse(new ArrayList<>())) {
      if (!(c instanceof Map<?, ?> context)
          || !(context.get("context") instanceof Map<?, ?> body)) {
        continue;
      }
      Object clusterName = body.get("cluster");
      for (Object k : Optional.ofNullable(config.getClusters()).orElse(new ArrayList<>())) {
        if (k instanceof Map<?, ?> cluster
            && clusterName != null
            && clusterName.equals(cluster.get("name"))
            && cluster.get("cluster") instanceof Map<?, ?> details
            && details.get("server") != null
            && normalize(String.valueOf(details.get("server"))).equals(wanted)) {
          return Optional.of(String.valueOf(context.get("name")));
        }
      }
    }
    return Optional.empty();
  }

  private static String normalize(String url) {
    String u = url.trim().toLowerCase(Locale.ROOT);
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u.endsWith(":443") ? u.substring(0, u.length() - 4) : u;
  }
}
