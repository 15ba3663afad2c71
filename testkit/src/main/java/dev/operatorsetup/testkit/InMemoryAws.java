package dev.operatorsetup.testkit;

import dev.operatorsetup.model.Arn;
import dev.operatorsetup.model.ClusterInfo;
import dev.operatorsetup.port.AwsServices;
import dev.operatorsetup.port.SageMakerKind;
import dev.operatorsetup.testkit.aws.AwsAccount;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An in-memory AWS account with IAM, STS, EKS and SageMaker (Describe calls only), strict like the
 * real services. IAM and STS state is global to the account; EKS clusters and SageMaker resources
 * live in a region. Every call goes through a {@link Recorder}, so it is logged in {@link #log()}
 * and can be failed with {@link #faults()}.
 *
 * <p>What it enforces, as IAM does: role names {@code [\w+=,.@-]{1,64}} (case-insensitively unique)
 * and paths; {@code EntityAlreadyExists} on duplicate roles and OIDC providers; {@code
 * NoSuchEntity} for unknown roles; {@code DeleteConflict} when a role still has policies; attaching
 * only existing, attachable policies of the role's partition, at most 10 per role (IAM's default
 * quota); trust and inline policy documents are validated ({@code MalformedPolicyDocument}; a trust
 * policy allows only the AssumeRole family, TagSession, SetSourceIdentity and SetContext, and a
 * Federated principal must be an OIDC provider of the account); OIDC provider URLs must be https
 * and at most 255 characters, with at most 100 client ids and 5 thumbprints of 40 hex digits. Trust
 * policies and inline documents are stored URL-encoded, as IAM returns them.
 *
 * <p>SageMaker resources are put as their Describe output ({@link #putSageMaker}); a Describe call
 * checks the name as SageMaker does (1 to 63 characters, a tuning job's 1 to 32, of {@code
 * ^[a-zA-Z0-9](-*[a-zA-Z0-9])*}: else {@code ValidationException}, an {@code
 * InvalidConfigurationException}), answers empty for a missing one, and a deep copy otherwise.
 *
 * <p>{@code AmazonSageMakerFullAccess} and a few other AWS managed policies exist in every
 * partition. The thumbprint of an issuer is a deterministic 40-hex value derived from its host.
 *
 * <p>Thread-safe.
 */
public final class InMemoryAws {
  /** The account id of a new fake. */
  public static final String DEFAULT_ACCOUNT = AwsAccount.DEFAULT_ACCOUNT;

  /** The Kubernetes version of clusters added with {@link #addCluster}. */
  public static final String CLUSTER_VERSION = AwsAccount.CLUSTER_VERSION;

  private final CallLog log;
  private final Faults faults;
  private final AwsAccount state = new AwsAccount();

  /** Creates a fake that records into {@code log} and fails as {@code faults} say. */
  public InMemoryAws(CallLog log, Faults faults) {
    this.log = Objects.requireNonNull(log, "log");
    this.faults = Objects.requireNonNull(faults, "faults");
  }

  /** Creates a fake with its own call log and no faults. */
  public InMemoryAws() {
    this(new CallLog(), new Faults());
  }

  /** Returns the log of every call the ports of this fake received. */
  public CallLog log() {
    return log;
  }

  /** Returns the fault rules the ports of this fake obey. */
  public Faults faults() {
    return faults;
  }

  /**
   * Makes a role created from now on invisible for {@code delay}, as IAM's eventual consistency may
   * hide it: GetRole finds nothing and changes to it fail with NoSuchEntity until the delay passes
   * (default zero: visible at once).
   */
  public InMemoryAws withRoleVisibilityDelay(Duration delay) {
    state.roleVisibilityDelay(delay);
    return this;
  }

  /** Returns the fake account's id ({@value #DEFAULT_ACCOUNT} unless changed). */
  public String account() {
    return state.account();
  }

  /** Changes the fake account's id; resources made before keep their ARNs. */
  public void account(String id) {
    state.account(id);
  }

  /**
   * Returns the AWS ports of one region. IAM and STS state is shared by every region; EKS clusters
   * are those added for this region.
   */
  public AwsServices services(String region) {
    return state.services(region, service -> new Recorder(service, log, faults));
  }

  /**
   * Adds an ACTIVE EKS cluster of version {@value #CLUSTER_VERSION} with a fake endpoint and CA.
   *
   * @param issuerUrl the cluster's OIDC issuer; {@code null} for one made up as EKS does
   * @throws IllegalStateException if the region already has a cluster of that name
   */
  public ClusterInfo addCluster(String region, String name, String issuerUrl) {
    return state.addCluster(region, name, issuerUrl);
  }

  /** Adds a cluster with an issuer made up as EKS does. */
  public ClusterInfo addCluster(String region, String name) {
    return addCluster(region, name, null);
  }

  /** Removes a cluster; does nothing if there is none of that name. */
  public void removeCluster(String region, String name) {
    state.removeCluster(region, name);
  }

  /**
   * Adds a managed policy (or changes whether it is attachable).
   *
   * @param attachable false for a policy that exists but {@code AttachRolePolicy} refuses
   */
  public void addPolicy(Arn arn, boolean attachable) {
    state.addPolicy(arn, attachable);
  }

  /**
   * Puts a SageMaker resource in a region as its Describe call returns it, e.g. a TrainingJob's
   * {@code TrainingJobName}, {@code TrainingJobArn}, {@code TrainingJobStatus}, {@code RoleArn};
   * replaces one of the same kind and name. Stored as a deep copy.
   *
   * {@snippet :
   * aws.putSageMaker("us-west-2", SageMakerKind.MODEL,
   *     Map.of("ModelName", "xgboost", "ExecutionRoleArn", "arn:aws:iam::123456789012:role/sm"));
   * }
   *
   * @throws IllegalArgumentException if it has no name member (e.g. {@code ModelName}), a name
   *     SageMaker would not have accepted, or values other than maps, lists, strings, numbers and
   *     booleans
   */
  public void putSageMaker(String region, SageMakerKind kind, Map<String, Object> describeOutput) {
    state.putSageMaker(region, kind, describeOutput);
  }

  /** Removes a SageMaker resource; returns whether there was one of that kind and name. */
  public boolean removeSageMaker(String region, SageMakerKind kind, String name) {
    return state.removeSageMaker(region, kind, name);
  }

  /** Returns the names of every role, in creation order. */
  public List<String> roleNames() {
    return state.roleNames();
  }

  /** Returns the ARNs of every OIDC provider, in creation order. */
  public List<Arn> providerArns() {
    return state.providerArns();
  }
}
