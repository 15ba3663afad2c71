package dev.operatorsetup.kubernetes;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.Loggers;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.port.KubernetesConnector;
import dev.operatorsetup.spi.KubernetesSettings;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Creates the {@link Kubernetes} port over the official Kubernetes Java client: from a kubeconfig
 * (as kubectl finds it, or a given file and context), from an {@link ApiClient} you configured, or
 * for an EKS cluster with a bearer token signed by your AWS credentials (no {@code aws} CLI
 * needed).
 *
 * <p>Closing a port created here releases the client it created; a port over an {@code ApiClient}
 * passed in never closes that client.
 *
 * <p><b>Retries.</b> A port made here sends each request of a call once and never retries:
 * throttling (429), server errors (5xx) and calls that do not reach the server become a retryable
 * {@link OperatorSetupException} with the server's {@code Retry-After} ({@link
 * OperatorSetupException#retryAfter()}), and the engine's retry (at most 5 attempts in total per
 * call, with backoff, within the operation's timeout) is the only layer that calls again. A retry
 * here as well would multiply the two budgets. Code that calls the port directly gets one attempt
 * per call and decides itself. The waits ({@code awaitCrdEstablished}, {@code awaitRollout}, {@code
 * awaitDeleted}) are not retries: they poll the cluster until it is done or the timeout passes.
 */
public final class KubernetesPorts {
  private static final Logger LOG = LoggerFactory.getLogger(Loggers.KUBERNETES);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  /**
   * How often exec-plugin credentials of a kubeconfig (e.g. {@code aws eks get-token}) are renewed.
   */
  private static final Duration EXEC_REFRESH = Duration.ofMinutes(5);

  private KubernetesPorts() {}

  /**
   * Connects as kubectl would: the current context of the first file in {@code KUBECONFIG}, else of
   * {@code ~/.kube/config}, else the pod's service account when running in a cluster.
   *
   * @throws InvalidConfigurationException if there is no kubeconfig and this is not a pod
   */
  public static Kubernetes fromKubeconfig() {
    return fromKubeconfig(Optional.empty(), Optional.empty());
  }

  /** Connects with the current context of the given kubeconfig file. */
  public static Kubernetes fromKubeconfig(Path kubeconfig) {
    return fromKubeconfig(Optional.of(kubeconfig), Optional.empty());
  }

  /**
   * Connects with a context of the given kubeconfig file.
   *
   * @throws InvalidConfigurationException if the file does not exist or has no such context
   */
  public static Kubernetes fromKubeconfig(Path kubeconfig, String context) {
    return fromKubeconfig(Optional.of(kubeconfig), Optional.of(context));
  }

  /**
   * Connects with a kubeconfig file (or the one kubectl would use) and a context (or its current
   * one).
   *
   * @throws InvalidConfigurationException if the file does not exist or has no such context, or,
   *     with neither given, if there is no kubeconfig and this is not a pod
   */
  public static Kubernetes fromKubeconfig(Optional<Path> kubeconfig, Optional<String> context) {
    return fromKubeconfig(kubeconfig, context, false);
  }

  /**
   * Like {@link #fromKubeconfig(Optional, Optional)}; a context whose cluster turns TLS
   * verification off ({@code insecure-skip-tls-verify: true}) is refused unless {@code
   * allowInsecureTls}, and logged as a warning naming the cluster and its server if allowed.
   *
   * @throws InvalidConfigurationException also if the context turns TLS verification off and {@code
   *     allowInsecureTls} is false
   */
  public static Kubernetes fromKubeconfig(
      Optional<Path> kubeconfig, Optional<String> context, boolean allowInsecureTls) {
    Objects.requireNonNull(kubeconfig, "kubeconfig");
    Objects.requireNonNull(context, "context");
    Optional<Path> path = kubeconfig.or(Kubeconfigs::standardLocation);
    if (path.isEmpty()) {
      if (context.isEmpty() && Kubeconfigs.inCluster()) {
        LOG.debug("kubernetes connect via=in-cluster-service-account");
        try {
          return new ClientJavaKubernetes(
              ClientBuilder.cluster().setReadTimeout(READ_TIMEOUT).build(), true);
        } catch (IOException e) {
          throw new InvalidConfigurationException(
              "in-cluster service account",
              io.kubernetes.client.util.Config.SERVICEACCOUNT_ROOT,
              "its token or CA cannot be read (" + e.getMessage() + ")",
              "mount the service account token, or pass a kubeconfig");
        }
      }
      throw new InvalidConfigurationException(
          "kubeconfig",
          null,
          "none was given, KUBECONFIG names no existing file, ~/.kube/config does not exist and"
              + " this is not a pod",
          "pass a kubeconfig, set KUBECONFIG, or create one with 'aws eks update-kubeconfig --name"
              + " <cluster> --region <region>'");
    }
    KubeConfig config = Kubeconfigs.load(path.get(), context);
    Kubeconfigs.checkTls(config, path.get(), allowInsecureTls)
        .ifPresent(
            cluster ->
                LOG.warn(
                    "kubernetes TLS verification is OFF for {} of context '{}' in {}: allowed by"
                        + " allowInsecureKubernetesTls() (--insecure-skip-tls-verify)",
                    cluster,
                    config.getCurrentContext(),
                    path.get()));
    LOG.debug(
        "kubernetes connect via=kubeconfig path={} context={}",
        path.get(),
        config.getCurrentContext());
    try {
      return new ClientJavaKubernetes(
          ClientBuilder.kubeconfig(config, EXEC_REFRESH).setReadTimeout(READ_TIMEOUT).build(),
          true);
    } catch (IOException | RuntimeException e) {
      throw new InvalidConfigurationException(
          "kubeconfig",
          path.get().toString(),
          "context '"
              + config.getCurrentContext()
              + "' cannot be used ("
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage())
              + ")",
          "check its server, certificate files and credentials (exec plugins must be on the PATH)");
    }
  }

  /**
   * Uses a client you configured. Closing the returned port does not close it. The port adds an
   * OkHttp interceptor to the client (it replaces the client's {@code OkHttpClient} with one that
   * shares its connection pool and dispatcher) that reads the {@code Retry-After} header of an
   * error answer.
   *
   * <p>Pass an explicit client rather than relying on {@code Configuration.getDefaultApiClient()}.
   */
  public static Kubernetes fromApiClient(ApiClient client) {
    return new ClientJavaKubernetes(Objects.requireNonNull(client, "client"), false);
  }

  /**
   * Connects to an EKS cluster at its endpoint, trusting its certificate authority, with a bearer
   * token signed by the default AWS credentials chain and renewed every 10 minutes.
   *
   * @param region the cluster's region; the token is signed for the regional STS endpoint of its
   *     partition
   * @throws InvalidConfigurationException if the cluster has no endpoint or certificate authority
   */
  public static Kubernetes forEksCluster(ClusterInfo cluster, String region) {
    return forEksCluster(cluster, region, DefaultCredentialsProvider.builder().build());
  }

  /**
   * Like {@link #forEksCluster(ClusterInfo, String)}, signing tokens with the given credentials.
   */
  public static Kubernetes forEksCluster(
      ClusterInfo cluster, String region, AwsCredentialsProvider credentials) {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(credentials, "credentials");
    String endpoint =
        cluster
            .endpoint()
            .orElseThrow(
                () ->
                    new InvalidConfigurationException(
                        "cluster endpoint",
                        null,
                        "EKS reported no API server endpoint for cluster "
                            + cluster.name()
                            + cluster.status().map(s -> " (status " + s + ")").orElse(""),
                        "wait until the cluster is ACTIVE, or connect with a kubeconfig"));
    String ca =
        cluster
            .certificateAuthority()
            .orElseThrow(
                () ->
                    new InvalidConfigurationException(
                        "cluster certificate authority",
                        null,
                        "EKS reported no certificate authority for cluster " + cluster.name(),
                        "wait until the cluster is ACTIVE, or connect with a kubeconfig"));
    byte[] pem = certificateAuthority(cluster, ca);
    String name = cluster.name();
    EksAuthentication auth =
        new EksAuthentication(
            () -> eksToken(credentials, region, name), EksTokens.REFRESH, Clock.systemUTC());
    ApiClient client =
        new ClientBuilder()
            .setBasePath(endpoint)
            .setCertificateAuthority(pem)
            .setAuthentication(auth)
            .setReadTimeout(READ_TIMEOUT)
            .build();
    LOG.debug("kubernetes connect via=eks-token cluster={} endpoint={}", name, endpoint);
    return new ClientJavaKubernetes(client, true);
  }

  /** Returns the PEM bytes of the cluster's base64 certificate authority, checked. */
  private static byte[] certificateAuthority(ClusterInfo cluster, String ca) {
    byte[] pem;
    try {
      pem = Base64.getMimeDecoder().decode(ca);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationException(
          "cluster certificate authority",
          ca,
          "it is not base64",
          "pass the certificateAuthority.data that DescribeCluster returns");
    }
    try {
      if (java.security.cert.CertificateFactory.getInstance("X.509")
          .generateCertificates(new java.io.ByteArrayInputStream(pem))
          .isEmpty()) {
        throw new java.security.cert.CertificateException("no certificate");
      }
    } catch (java.security.cert.CertificateException e) {
      throw new InvalidConfigurationException(
          "cluster certificate authority",
          cluster.name(),
          "the certificateAuthority.data EKS reported is not a PEM certificate",
          "connect with --kubeconfig and --context (.withKubeconfig/.withContext) instead");
    }
    return pem;
  }

  private static String eksToken(
      AwsCredentialsProvider credentials, String region, String cluster) {
    try {
      return EksTokens.token(credentials, region, cluster, Clock.systemUTC());
    } catch (SdkException e) {
      throw new OperatorSetupException(
          "Cannot make an EKS token for cluster "
              + cluster
              + ": the AWS credentials could not be resolved ("
              + e.getMessage()
              + "). Fix: configure AWS credentials (environment, profile, SSO or instance role),"
              + " or connect with a kubeconfig.",
          e,
          false);
    }
  }

  /**
   * Returns the connector the {@code kubernetes} module registers: the kubeconfig and context of
   * the settings if either is set; else the context of the standard kubeconfig whose server is the
   * cluster's endpoint; else an EKS token.
   */
  public static KubernetesConnector connector(KubernetesSettings settings) {
    return connector(
        settings,
        Kubeconfigs::standardLocation,
        () -> DefaultCredentialsProvider.builder().build());
  }

  /**
   * Checks a given kubeconfig and context at once, before the connector is used: the file exists
   * and is a kubeconfig, the context is in it, and its cluster keeps TLS verification on (unless
   * allowed), so that a bad one is refused before anything is read or written.
   */
  private static void check(KubernetesSettings settings, Supplier<Optional<Path>> standard) {
    Optional<Path> path = settings.kubeconfig().or(standard);
    if (path.isEmpty()) {
      throw new InvalidConfigurationException(
          "kubeconfig context",
          settings.context().orElse(null),
          "a context was chosen but no kubeconfig was given, KUBECONFIG names no existing file"
              + " and ~/.kube/config does not exist",
          "pass the kubeconfig that has this context");
    }
    Kubeconfigs.checkTls(
        Kubeconfigs.load(path.get(), settings.context()), path.get(), settings.allowInsecureTls());
  }

  static KubernetesConnector connector(
      KubernetesSettings settings,
      Supplier<Optional<Path>> standardKubeconfig,
      Supplier<AwsCredentialsProvider> credentials) {
    Objects.requireNonNull(settings, "settings");
    if (settings.kubeconfig().isPresent() || settings.context().isPresent()) {
      check(settings, standardKubeconfig);
    }
    boolean allowInsecure = settings.allowInsecureTls();
    return cluster -> {
      if (settings.kubeconfig().isPresent() || settings.context().isPresent()) {
        return fromKubeconfig(settings.kubeconfig(), settings.context(), allowInsecure);
      }
      Optional<Path> standard = standardKubeconfig.get();
      if (standard.isPresent() && cluster.endpoint().isPresent()) {
        Optional<String> context;
        try {
          context =
              Kubeconfigs.contextForServer(
                  Kubeconfigs.load(standard.get(), Optional.empty()), cluster.endpoint().get());
        } catch (InvalidConfigurationException unusable) {
          LOG.debug("kubernetes kubeconfig={} unusable: {}", standard.get(), unusable.getMessage());
          context = Optional.empty();
        }
        if (context.isPresent()) {
          return fromKubeconfig(standard, context, allowInsecure);
        }
      }
      if (cluster.endpoint().isPresent() && cluster.certificateAuthority().isPresent()) {
        return forEksCluster(cluster, settings.region(), credentials.get());
      }
      throw new InvalidConfigurationException(
          "kubeconfig",
          standard.map(Path::toString).orElse(null),
          "no kubeconfig context points at cluster "
              + cluster.name()
              + (cluster.endpoint().isPresent() ? " (" + cluster.endpoint().get() + ")" : "")
              + ", and EKS reported no endpoint and certificate authority to make a token for",
          "pass a kubeconfig and context, or run 'aws eks update-kubeconfig --name "
              + cluster.name()
              + "'");
    };
  }
}
