/**
 * The engine and its value types, free of any AWS SDK or Kubernetes client.
 *
 * <p>Exports the public API only. {@code dev.operatorsetup.internal} and every package under it
 * stay unexported (add no {@code exports} for them: the build's Checkstyle rule also fails any
 * module outside core that imports them). The AWS and Kubernetes adapters are found through the
 * {@link java.util.ServiceLoader} interfaces in {@code dev.operatorsetup.spi}.
 */
module dev.operatorsetup.core {
  requires transitive com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires com.fasterxml.jackson.datatype.jdk8;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires org.yaml.snakeyaml;
  requires java.net.http;
  requires org.slf4j;
  // Immutables' annotations are needed to compile only (the generated code does not use them).
  requires static org.immutables.value.annotations;

  exports dev.operatorsetup;
  exports dev.operatorsetup.model;
  exports dev.operatorsetup.port;
  exports dev.operatorsetup.spi;
  exports dev.operatorsetup.targets;

  // Immutables' generated Jackson code (the package-private ImmutableX and its Json builder) is
  // created and filled by reflection.
  opens dev.operatorsetup.model to
      com.fasterxml.jackson.databind;

  uses dev.operatorsetup.spi.AwsServicesProvider;
  uses dev.operatorsetup.spi.KubernetesConnectorProvider;
  uses dev.operatorsetup.spi.ChartRendererProvider;
}
