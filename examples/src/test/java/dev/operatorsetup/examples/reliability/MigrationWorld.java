package dev.operatorsetup.examples.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.aws.AwsPorts;
import dev.operatorsetup.helm.HelmCharts;
import dev.operatorsetup.model.ObjectRef;
import dev.operatorsetup.port.AwsServices;
import dev.operatorsetup.port.Kubernetes;
import dev.operatorsetup.targets.OperatorTarget;
import dev.operatorsetup.testkit.LegacyFixtures;
import dev.operatorsetup.testkit.LegacyFixtures.Legacy;
import dev.operatorsetup.testkit.moto.MotoSageMaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A cluster running the legacy operator, for the migration tests: the emulators' moto_server (IAM,
 * EKS, and SageMaker resources created there with SageMaker's Create calls) and control plane, the
 * legacy operator installed by operator-setup, and its custom resources carrying the finalizer and
 * a status as the legacy controller writes it (through the status subresource).
 *
 * <p>The cluster is {@link #CLUSTER} in moto; both migration ITs use it, one after the other.
 */
final class MigrationWorld {
  private final Emulators em;

  MigrationWorld(Emulators em) {
    this.em = em;
  }

  /** The namespace of the legacy objects. */
  String ns() {
    return ns;
  }

  /** The SageMaker operations called through {@link #aws()} ports so far. */
  List<String> sageMakerCalls() {
    return List.copyOf(sageMakerCalls);
  }

  static final String CLUSTER = "migration";
  static final String LEGACY_ROLE = "legacy-sagemaker-operator";
  static final String ACK_ROLE = "ack-sagemaker-controller";
  static final String LEGACY_NS = "sagemaker-k8s-operator-system";
  static final String ACK_GROUP_VERSION = "sagemaker.services.k8s.aws/v1alpha1";
  static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The SageMaker operations each run called, from the AWS adapter's call listener. */
  private final List<String> sageMakerCalls = Collections.synchronizedList(new ArrayList<>());

  private String ns;

  /** AWS ports on moto that note every SageMaker call. */
  AwsPorts aws() {
    return AwsPorts.builder()
        .region(Emulators.REGION)
        .credentialsProvider(Emulators.CREDENTIALS)
        .endpointOverride(em.moto.endpoint())
        .consistencyTimeout(Duration.ofSeconds(10))
        .callListener(
            (service, operation, write) -> {
              if (service.equals("sagemaker")) {
                sageMakerCalls.add(operation + (write ? " (write)" : ""));
              }
            })
        .build();
  }

  static OperatorSetup.Options legacy(AwsServices aws, Kubernetes kube) {
    return OperatorSetup.forCluster(CLUSTER)
        .inRegion(Emulators.REGION)
        .withRole(LEGACY_ROLE)
        .withAws(aws)
        .withKubernetes(kube)
        .withTimeout(TIMEOUT);
  }

  static OperatorSetup.Options ack(AwsServices aws, Kubernetes kube) {
    return OperatorSetup.forCluster(CLUSTER)
        .inRegion(Emulators.REGION)
        .withRole(ACK_ROLE)
        .withAws(aws)
        .withKubernetes(kube)
        .withTimeout(TIMEOUT)
        .withTarget(OperatorTarget.ack())
        .withChartRenderer(HelmCharts.renderer());
  }

  /**
   * The legacy operator installed by operator-setup, and legacy objects as its controller left
   * them.
   */
  List<Legacy> legacyCluster(
      AwsServices aws, java.util.function.Function<String, List<Legacy>> extra) {
    em.cluster(CLUSTER);
    legacy(aws, em.kube).install();
    ns = em.namespace("team");
    em.kube.apply(dev.operatorsetup.testkit.LegacyFixtures.namespace(ns), "kubectl", false);
    List<Legacy> all = new ArrayList<>();
    all.add(
        LegacyFixtures.trainingJob(ns, "xgboost-train", Emulators.REGION, "xgboost-train-1a2b"));
    all.add(LegacyFixtures.model(ns, "xgboost-model", Emulators.REGION, "model-3c4d"));
    all.add(
        LegacyFixtures.hostingDeployment(
            ns,
            "xgboost-hosting",
            Emulators.REGION,
            "xgboost-hosting-ep",
            "xgboost-hosting-cfg",
            "m-5e6f"));
    all.addAll(extra.apply(ns));
    MotoSageMaker sageMaker = new MotoSageMaker(em.moto);
    for (Legacy l : all) {
      declare(l);
      for (LegacyFixtures.SageMakerResource r : l.sageMaker()) {
        sageMaker.create(Emulators.REGION, r.kind(), toJson(r.create()));
      }
    }
    return all;
  }

  /** Applies the legacy object, then writes its status as the legacy controller does. */
  void declare(Legacy l) {
    em.kube.apply(l.object(), "kubectl", false);
    if (!l.status().isEmpty()) {
      em.kubectl(
          "patch",
          l.object().kind().toLowerCase(java.util.Locale.ROOT) + ".sagemaker.aws.amazon.com",
          "-n",
          l.object().namespace().orElseThrow(),
          l.object().name(),
          "--subresource=status",
          "--type=merge",
          "-p",
          "{\"status\":" + l.status() + "}");
    }
  }

  static Map<String, Optional<Map<String, Object>>> describeAll(
      AwsServices aws, List<Legacy> legacy) {
    Map<String, Optional<Map<String, Object>>> out = new TreeMap<>();
    for (Legacy l : legacy) {
      for (LegacyFixtures.SageMakerResource r : l.sageMaker()) {
        out.put(r.kind() + "/" + r.name(), aws.sageMaker().describe(r.kind(), r.name()));
      }
    }
    return out;
  }

  static String toJson(Map<String, Object> value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  ObjectRef ackRef(String kind, String name) {
    return ObjectRef.of(ACK_GROUP_VERSION, kind, ns, name);
  }

  /** Uninstalls ACK (retaining AWS resources) and what is left of the legacy operator. */
  void cleanUp() {
    try (AwsPorts aws = aws()) {
      ack(aws, em.kube).retainAwsResources().removeFinalizers().uninstall();
      legacy(aws, em.kube).removeFinalizers().uninstall();
    }
  }

  /** The command's migrate arguments, through the proxies, with the ACK controller's role. */
  static List<String> migrateArgs(ProxiedCommand command, String... more) {
    List<String> args = new ArrayList<>(command.args("migrate", CLUSTER, null));
    args.set(args.indexOf("--role") + 1, ACK_ROLE);
    args.addAll(List.of(more));
    return args;
  }
}
