package dev.operatorsetup.examples.cli;

import dev.operatorsetup.Durations;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.Manifests;
import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.ProgressListener;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a command's inputs and turns them into the library's options, before anything connects to
 * AWS or Kubernetes. Every problem is an {@link InvalidConfigurationException} naming the field.
 */
final class Validation {
  private Validation() {}

  /** The checks the library cannot make: the output format and the --manifest-out file. */
  static void check(Inputs in) {
    String output = in.run.output;
    if (!output.equals("text") && !output.equals("json")) {
      throw new InvalidConfigurationException(
          "--output", output, "must be text or json", "use --output json");
    }
    Path file = in.manifestOut.manifestOut;
    if (file == null) {
      return;
    }
    Path parent = file.toAbsolutePath().getParent();
    String problem =
        Files.isDirectory(file)
            ? "it is a directory"
            : parent == null || !Files.isDirectory(parent)
                ? "its directory " + parent + " does not exist"
                : !Files.isWritable(parent) || (Files.exists(file) && !Files.isWritable(file))
                    ? "it cannot be written"
                    : null;
    if (problem != null) {
      throw new InvalidConfigurationException(
          "--manifest-out",
          file.toString(),
          problem,
          "name a writable file in an existing directory");
    }
  }

  /**
   * The library's options for these inputs, each checked as it is set; {@code listener} gets the
   * progress events if it is not null.
   */
  static OperatorSetup.Options options(Inputs in, ProgressListener listener) {
    ClusterOptions c = in.cluster;
    OperatorSetup.Options o =
        OperatorSetup.forCluster(c.cluster).inRegion(c.region).withRole(c.role);
    what(o, in);
    how(o, in);
    if (listener != null) {
      o.withListener(listener);
    }
    return o;
  }

  /** What to install: policies, ServiceAccount, manifest and images. */
  private static void what(OperatorSetup.Options o, Inputs in) {
    ChartInputs.apply(o, in.manifest);
    for (String p : in.policy.policies) {
      o.withPolicy(p);
    }
    if (in.serviceAccount.namespace != null) {
      o.withNamespace(in.serviceAccount.namespace);
    }
    if (in.serviceAccount.serviceAccount != null) {
      o.withServiceAccount(in.serviceAccount.serviceAccount);
    }
    if (in.manifest.manifest != null) {
      o.withManifest(Manifests.parse(in.manifest.manifest));
    }
    for (String image : in.image.images) {
      int eq = image.indexOf('=');
      if (eq <= 0 || eq == image.length() - 1) {
        throw new InvalidConfigurationException(
            "--image",
            image,
            "an image override is OLD=NEW",
            "e.g. --image gcr.io/kubebuilder/kube-rbac-proxy:v0.4.0=quay.io/brancz/kube-rbac-proxy:v0.4.0");
      }
      o.withImage(image.substring(0, eq), image.substring(eq + 1));
    }
  }

  /** How to go about it: thumbprint, time limit, where AWS and Kubernetes are, what to force. */
  private static void how(OperatorSetup.Options o, Inputs in) {
    if (in.converge.thumbprint != null) {
      o.withThumbprint(in.converge.thumbprint);
    }
    if (in.run.timeout != null) {
      o.withTimeout(Durations.parse("--timeout", in.run.timeout));
    }
    if (in.aws.awsEndpoint != null) {
      o.withAwsEndpoint(endpoint(in.aws.awsEndpoint));
    }
    KubernetesOptions k = in.kubernetes;
    if (k.kubeconfig != null) {
      o.withKubeconfig(kubeconfig(k.kubeconfig));
    }
    if (k.context != null) {
      o.withContext(k.context);
    }
    if (k.insecureSkipTlsVerify) {
      o.allowInsecureKubernetesTls();
    }
    if (k.awsOnly) {
      o.awsOnly();
    }
    if (in.converge.adoptRole) {
      o.adoptExistingRole();
    }
    if (in.converge.forceConflicts) {
      o.forceConflicts();
    }
    if (in.converge.removeStaleTrust) {
      o.removeStaleTrust();
    }
    if (in.uninstall.keepCrds) {
      o.keepCrds();
    }
    if (in.uninstall.removeFinalizers) {
      o.removeFinalizers();
    }
    if (in.uninstall.retainAwsResources) {
      o.retainAwsResources();
    }
    if (in.converge.takeOverHelmRelease) {
      o.takeOverHelmRelease();
    }
  }

  private static URI endpoint(String endpoint) {
    try {
      return URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationException(
          "--aws-endpoint", endpoint, "it is not a URL", "pass e.g. http://127.0.0.1:5055");
    }
  }

  private static Path kubeconfig(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidConfigurationException(
          "--kubeconfig",
          file.toString(),
          Files.isDirectory(file) ? "it is a directory" : "the file does not exist",
          "pass the path of a kubeconfig file, or leave it out to use KUBECONFIG or ~/.kube/config");
    }
    return file;
  }
}
