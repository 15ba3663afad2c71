package dev.operatorsetup.testkit.aws;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.model.OidcIssuer;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.port.AwsPortSet;
import dev.operatorsetup.port.AwsServices;
import dev.operatorsetup.port.CallerIdentity;
import dev.operatorsetup.port.Clusters;
import dev.operatorsetup.port.OidcProviders;
import dev.operatorsetup.port.Policies;
import dev.operatorsetup.port.Roles;
import dev.operatorsetup.port.SageMakerKind;
import dev.operatorsetup.port.SageMakerResources;
import dev.operatorsetup.port.Thumbprints;
import dev.operatorsetup.testkit.Recorder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The state behind {@link dev.operatorsetup.testkit.InMemoryAws}: one account's IAM roles, managed
 * policies and OIDC providers, its EKS clusters and SageMaker resources per region, and the
 * in-memory ports over them. Use {@code InMemoryAws}; this class is its engine. Every access holds
 * this object's lock.
 */
public final class AwsAccount {
  /** The account id of a new account. */
  public static final String DEFAULT_ACCOUNT = "123456789012";

  /** The Kubernetes version of clusters added with {@link #addCluster}. */
  public static final String CLUSTER_VERSION = "1.34";

  static final List<String> DEFAULT_AWS_MANAGED_POLICIES =
      List.of(
          "AmazonSageMakerFullAccess",
          "AmazonSageMakerReadOnly",
          "AmazonS3ReadOnlyAccess",
          "AmazonEKSClusterPolicy",
          "ReadOnlyAccess");

  // Guarded by this.
  private String account = DEFAULT_ACCOUNT;
  final Map<String, RoleState> roles = new LinkedHashMap<>(); // by lower-case name
  final Map<Arn, Boolean> policies = new LinkedHashMap<>(); // ARN -> attachable
  final Map<Arn, ProviderState> providers = new LinkedHashMap<>();
  final Map<String, Map<String, ClusterInfo>> clusters = new LinkedHashMap<>(); // region -> name
  // region -> kind -> name -> Describe output
  final Map<String, Map<SageMakerKind, Map<String, Map<String, Object>>>> sageMaker =
      new LinkedHashMap<>();
  private long nextId = 1;
  private Duration roleVisibilityDelay = Duration.ZERO;

  /** Creates an account with the AWS managed policies every partition has. */
  public AwsAccount() {
    for (Partition p : Partition.values()) {
      for (String name : DEFAULT_AWS_MANAGED_POLICIES) {
        policies.put(Arn.of(p, "iam", "", "aws", "policy/" + name), true);
      }
    }
  }

  /** Returns the account's id. */
  public synchronized String account() {
    return account;
  }

  /** Changes the account's id; resources made before keep their ARNs. */
  public synchronized void account(String id) {
    this.account = IamInput.account(id);
  }

  /**
   * Returns the AWS ports of one region, each recording through {@code recorders.apply(service)}
   * ({@code sts}, {@code eks}, {@code iam}, {@code sagemaker} or {@code tls}).
   */
  public AwsServices services(String region, Function<String, Recorder> recorders) {
    IamInput.region(region);
    Partition partition = Partition.ofRegion(region);
    CallerIdentity callerIdentity =
        new InMemoryCallerIdentity(this, partition, recorders.apply("sts"));
    Clusters clusterPort = new InMemoryClusters(this, region, recorders.apply("eks"));
    OidcProviders oidc = new InMemoryOidcProviders(this, partition, recorders.apply("iam"));
    Roles rolePort = new InMemoryRoles(this, partition, recorders.apply("iam"));
    Policies policyPort = new InMemoryPolicies(this, recorders.apply("iam"));
    Thumbprints thumbprints =
        issuer -> recorders.apply("tls").read("GetCertificateChain", () -> thumbprint(issuer));
    SageMakerResources sageMakerPort =
        new InMemorySageMaker(this, region, recorders.apply("sagemaker"));
    return new AwsPortSet(
        "InMemoryAws.services(" + region + ")",
        callerIdentity,
        clusterPort,
        oidc,
        rolePort,
        policyPort,
        thumbprints,
        sageMakerPort);
  }

  /**
   * Adds an ACTIVE EKS cluster of version {@value #CLUSTER_VERSION} with a fake endpoint and CA.
   *
   * @param issuerUrl the cluster's OIDC issuer; {@code null} for one made up as EKS does
   * @throws IllegalStateException if the region already has a cluster of that name
   */
  public synchronized ClusterInfo addCluster(String region, String name, String issuerUrl) {
    IamInput.region(region);
    IamInput.clusterName(name);
    Partition partition = Partition.ofRegion(region);
    Map<String, ClusterInfo> inRegion =
        clusters.computeIfAbsent(region, r -> new LinkedHashMap<>());
    if (inRegion.containsKey(name)) {
      throw new IllegalStateException("Cluster " + name + " already exists in " + region);
    }
    String id =
        sha1Hex(region + "/" + name + "/" + nextId++).substring(0, 32).toUpperCase(Locale.ROOT);
    String suffix = partition == Partition.AWS_CN ? "amazonaws.com.cn" : "amazonaws.com";
    String issuer =
        issuerUrl != null ? issuerUrl : "https://oidc.eks." + region + "." + suffix + "/id/" + id;
    String pem =
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getEncoder()
                .encodeToString(
                    ("in-memory CA " + region + "/" + name).getBytes(StandardCharsets.UTF_8))
            + "\n-----END CERTIFICATE-----\n";
    ClusterInfo info =
        new ClusterInfo.Builder()
            .name(name)
            .arn(Arn.of(partition, "eks", region, account, "cluster/" + name))
            .issuer(issuer)
            .version(CLUSTER_VERSION)
            .endpoint("https://" + id + ".gr7." + region + ".eks." + suffix)
            .certificateAuthority(
                Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8)))
            .status("ACTIVE")
            .build();
    inRegion.put(name, info);
    return info;
  }

  /** Removes a cluster; does nothing if there is none of that name. */
  public synchronized void removeCluster(String region, String name) {
    Map<String, ClusterInfo> inRegion = clusters.get(region);
    if (inRegion != null) {
      inRegion.remove(name);
    }
  }

  /**
   * Puts a SageMaker resource in a region, as its Describe call returns it (member names as in the
   * API, e.g. {@code TrainingJobName}, {@code RoleArn}), replacing one of the same kind and name.
   * The name is the kind's name member.
   *
   * @throws IllegalArgumentException if the output has no name member, a name SageMaker would not
   *     have accepted, or values other than maps, lists, strings, numbers and booleans
   */
  public synchronized void putSageMaker(
      String region, SageMakerKind kind, Map<String, Object> describeOutput) {
    IamInput.region(region);
    Map<String, Object> copy = InMemorySageMaker.copyObject(describeOutput);
    String name = InMemorySageMaker.nameOf(kind, copy);
    InMemorySageMaker.resources(this, region, kind).put(name, copy);
  }

  /** Removes a SageMaker resource; returns whether there was one of that kind and name. */
  public synchronized boolean removeSageMaker(String region, SageMakerKind kind, String name) {
    return InMemorySageMaker.resources(this, region, kind).remove(name) != null;
  }

  /** Adds a managed policy (or changes whether it is attachable). */
  public synchronized void addPolicy(Arn arn, boolean attachable) {
    IamInput.policyArn(arn.toString());
    policies.put(arn, attachable);
  }

  /**
   * Sets how long a new role stays invisible to GetRole and to changes (NoSuchEntity), as IAM's
   * eventual consistency may hide it; zero (the default) makes it visible at once.
   */
  public synchronized void roleVisibilityDelay(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("negative role visibility delay " + delay);
    }
    this.roleVisibilityDelay = delay;
  }

  /** When a role created now becomes visible, on the {@link System#nanoTime()} clock. */
  synchronized long visibleAtNanos() {
    return System.nanoTime() + roleVisibilityDelay.toNanos();
  }

  /** Whether reads and changes see the role yet. */
  static boolean visible(RoleState role) {
    return System.nanoTime() - role.visibleAtNanos >= 0;
  }

  /** Whether an OIDC provider of that ARN exists in the account. */
  synchronized boolean hasProvider(String arn) {
    return providers.keySet().stream().anyMatch(a -> a.toString().equals(arn));
  }

  /** Returns the names of every role, in creation order. */
  public synchronized List<String> roleNames() {
    List<String> names = new ArrayList<>();
    roles.values().forEach(r -> names.add(r.name));
    return names;
  }

  /** Returns the ARNs of every OIDC provider, in creation order. */
  public synchronized List<Arn> providerArns() {
    return List.copyOf(providers.keySet());
  }

  synchronized String nextId(String prefix) {
    String hex = sha1Hex(prefix + nextId++).substring(0, 17).toUpperCase(Locale.ROOT);
    return prefix + hex;
  }

  static String thumbprint(OidcIssuer issuer) {
    return sha1Hex(issuer.host().toLowerCase(Locale.ROOT));
  }

  static String sha1Hex(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }

  /** A role as IAM keeps it. Guarded by the owning {@link AwsAccount}. */
  static final class RoleState {
    final String name;
    final String path;
    final String id;
    final Arn arn;
    String trustEncoded;
    Optional<String> description;
    Optional<Integer> maxSessionDurationSeconds;
    Optional<Arn> permissionsBoundary;
    final Set<Arn> attached = new LinkedHashSet<>();
    final Map<String, String> inlineEncoded = new LinkedHashMap<>();
    final Map<String, String> tags = new LinkedHashMap<>();
    long visibleAtNanos;

    RoleState(String name, String path, String id, Arn arn) {
      this.name = name;
      this.path = path;
      this.id = id;
      this.arn = arn;
    }
  }

  /** An OIDC provider as IAM keeps it. */
  record ProviderState(
      Arn arn,
      String url,
      List<String> clientIds,
      List<String> thumbprints,
      Map<String, String> tags) {}
}
