package dev.operatorsetup.testkit;

import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.model.ClusterInfo;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A fresh in-memory AWS account and Kubernetes cluster that share one call log and one set of fault
 * rules. {@link FakeWorldExtension} hands each test its own.
 */
public final class FakeWorld {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final CallLog log = new CallLog();
  private final Faults faults = new Faults();
  private final InMemoryAws aws = new InMemoryAws(log, faults);
  private final InMemoryKubernetes kubernetes = new InMemoryKubernetes(log, faults);

  public CallLog log() {
    return log;
  }

  public Faults faults() {
    return faults;
  }

  public InMemoryAws aws() {
    return aws;
  }

  public InMemoryKubernetes kubernetes() {
    return kubernetes;
  }

  /** Adds an EKS cluster with an issuer like EKS makes: {@code .../id/<32 hex digits>}. */
  public ClusterInfo addCluster(String name, String region) {
    return aws.addCluster(region, name, newIssuer(region));
  }

  /** Returns a new issuer URL of the EKS form for a region. */
  public static String newIssuer(String region) {
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    String suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
    return "https://oidc.eks."
        + region
        + "."
        + suffix
        + "/id/"
        + HexFormat.of().formatHex(id).toUpperCase(Locale.ROOT);
  }

  /** Starts a configuration wired to this world's fakes. */
  public OperatorSetup.Options setup(String cluster, String region, String role) {
    return OperatorSetup.forCluster(cluster)
        .inRegion(region)
        .withRole(role)
        .withAws(aws.services(region))
        .withKubernetes(kubernetes);
  }
}
