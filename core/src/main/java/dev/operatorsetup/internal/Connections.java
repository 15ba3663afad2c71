package dev.operatorsetup.internal;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.port.AwsServices;
import dev.operatorsetup.port.KubernetesConnector;
import dev.operatorsetup.spi.AwsServicesProvider;
import dev.operatorsetup.spi.AwsSettings;
import dev.operatorsetup.spi.KubernetesConnectorProvider;
import dev.operatorsetup.spi.KubernetesSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * How an operation reaches AWS and the cluster: ports the caller passed in (never closed here), or
 * ports made by the {@code aws} and {@code kubernetes} modules found through {@link ServiceLoader}
 * (closed when the operation ends).
 */
final class Connections {
  private AwsServices aws;
  private URI awsEndpoint;
  private String awsProfile;
  private KubernetesConnector connector;
  private Path kubeconfig;
  private String context;
  private boolean allowInsecureTls;

  void aws(AwsServices aws) {
    this.aws = Objects.requireNonNull(aws, "aws");
  }

  void awsEndpoint(URI endpoint) {
    if (endpoint == null
        || endpoint.getHost() == null
        || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
      throw new InvalidConfigurationException(
          "AWS endpoint",
          String.valueOf(endpoint),
          "an endpoint is an http or https URL with a host",
          "pass e.g. http://127.0.0.1:5055");
    }
    this.awsEndpoint = endpoint;
  }

  void awsProfile(String profile) {
    this.awsProfile = profile;
  }

  void connector(KubernetesConnector connector) {
    this.connector = connector;
  }

  void kubeconfig(Path kubeconfig) {
    if (kubeconfig == null || !Files.isRegularFile(kubeconfig)) {
      throw new InvalidConfigurationException(
          "kubeconfig",
          String.valueOf(kubeconfig),
          kubeconfig != null && Files.isDirectory(kubeconfig)
              ? "it is a directory"
              : "the file does not exist",
          "pass the path of a kubeconfig file, or leave it out to use KUBECONFIG or"
              + " ~/.kube/config");
    }
    this.kubeconfig = kubeconfig;
  }

  void context(String context) {
    if (context == null || context.isBlank()) {
      throw new InvalidConfigurationException(
          "kubeconfig context",
          context,
          "a context name is not empty",
          "pass the name of a context of the kubeconfig, or leave it out for its current one");
    }
    this.context = context;
  }

  void allowInsecureTls() {
    this.allowInsecureTls = true;
  }

  /** The ports of one operation; closing it closes the AWS clients it made. */
  record Opened(Ports ports, boolean ownAws) implements AutoCloseable {
    @Override
    public void close() {
      if (ownAws) {
        ports.aws().close();
      }
    }
  }

  /**
   * Opens the ports. A given kubeconfig or context is checked first, in every mode, even when the
   * operation never connects to Kubernetes: the provider reads the file, the context and its TLS
   * setting when it creates the connector.
   */
  Opened open(String region, boolean needKubernetes) {
    KubernetesSettings settings =
        new KubernetesSettings(
            Optional.ofNullable(kubeconfig),
            Optional.ofNullable(context),
            region,
            allowInsecureTls);
    KubernetesConnector checked = null;
    if (kubeconfig != null || context != null) {
      checked = kubernetesProvider().create(settings);
    }
    AwsServices services = aws;
    if (services == null) {
      services =
          load(AwsServicesProvider.class, "operator-setup-aws", "withAws(...)")
              .create(
                  new AwsSettings(
                      region, Optional.ofNullable(awsEndpoint), Optional.ofNullable(awsProfile)));
    }
    Optional<KubernetesConnector> kube = Optional.empty();
    if (needKubernetes) {
      kube =
          Optional.of(
              connector != null
                  ? connector
                  : checked != null ? checked : kubernetesProvider().create(settings));
    }
    return new Opened(new Ports(services, kube), aws == null);
  }

  private static KubernetesConnectorProvider kubernetesProvider() {
    return load(
        KubernetesConnectorProvider.class, "operator-setup-kubernetes", "withKubernetes(...)");
  }

  private static <T> T load(Class<T> type, String artifact, String alternative) {
    Iterator<T> it = ServiceLoader.load(type, OperatorSetup.class.getClassLoader()).iterator();
    if (!it.hasNext()) {
      throw new InvalidConfigurationException(
          type.getSimpleName(),
          null,
          "no implementation is on the class path",
          "add the dev.operatorsetup:" + artifact + " dependency, or call " + alternative);
    }
    return it.next();
  }
}
