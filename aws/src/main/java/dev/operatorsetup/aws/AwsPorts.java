package dev.operatorsetup.aws;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.Loggers;
import dev.operatorsetup.model.Partition;
import dev.operatorsetup.model.Rules;
import dev.operatorsetup.port.AwsServices;
import dev.operatorsetup.port.CallerIdentity;
import dev.operatorsetup.port.Clusters;
import dev.operatorsetup.port.OidcProviders;
import dev.operatorsetup.port.Policies;
import dev.operatorsetup.port.Roles;
import dev.operatorsetup.port.SageMakerResources;
import dev.operatorsetup.port.Thumbprints;
import dev.operatorsetup.spi.AwsSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The AWS ports of one region over the AWS SDK for Java v2: STS, EKS and IAM clients with one
 * {@link UrlConnectionHttpClient} and a call counter, and SageMaker's Describe calls in its JSON
 * protocol, signed with the SDK's SigV4 signer and sent through the same HTTP client.
 *
 * <p><b>Retries.</b> Every port call makes exactly one attempt: the clients this object creates use
 * {@link AwsRetryStrategy#doNotRetry()}. Throttling, 5xx and network errors come back as a
 * retryable {@link dev.operatorsetup.OperatorSetupException} carrying the service's {@code
 * Retry-After}, if it sent one, and the engine's retry (at most 5 attempts in total per call, with
 * backoff, within the operation's timeout) is the only layer that tries again. Retrying here as
 * well would multiply the two budgets (the SDK's 5 attempts inside the engine's 5 were up to 25
 * requests for one call). Code that calls these ports directly gets one attempt and decides itself.
 * Clients passed in ({@link Builder#iamClient} and the like) are used as configured: give them
 * {@code AwsRetryStrategy.doNotRetry()} to keep one budget. Waits are not retries: a new IAM role
 * is polled until it is visible, and a change to it that fails with NoSuchEntity is made again
 * while it is new (bounded by {@link Builder#consistencyTimeout}).
 *
 * <p>SageMaker ({@link #sageMaker()}) is called at {@code https://api.sagemaker.<region>.<partition
 * DNS suffix>} or the endpoint override, with the builder's credentials (or profile, or the default
 * chain) and HTTP timeouts, also when IAM, EKS and STS clients are passed in.
 *
 * <p>IAM is global: its client signs for the partition's global region ({@code us-east-1}, {@code
 * cn-north-1}, {@code us-gov-west-1}). {@link #close()} closes the clients and credentials provider
 * this object created, never ones passed in.
 *
 * {@snippet :
 * try (AwsPorts aws = AwsPorts.builder().region("us-west-2").profile("admin").build()) {
 *   Optional<ClusterInfo> cluster = aws.clusters().describe("ml");
 *   AwsCallCounts calls = aws.callCounts(); // eks 1r/0w
 * }
 * }
 */
public final class AwsPorts implements AwsServices {
  private static final Logger LOG = LoggerFactory.getLogger(Loggers.AWS);

  /** How long a new IAM role may take to become visible unless told otherwise. */
  public static final Duration DEFAULT_CONSISTENCY_TIMEOUT = Duration.ofSeconds(60);

  private final String region;
  private final Partition partition;
  private final CallCounter counter;
  private final List<AutoCloseable> owned;
  private final CallerIdentity callerIdentity;
  private final Clusters clusters;
  private final OidcProviders oidcProviders;
  private final Roles roles;
  private final Policies policies;
  private final Thumbprints thumbprints;
  private final SageMakerResources sageMaker;

  private AwsPorts(Builder b) {
    this.region = b.region;
    this.partition = Partition.ofRegion(b.region);
    this.counter = new CallCounter(b.listener);
    this.owned = new ArrayList<>();
    try {
      Clients clients = clients(b);
      this.callerIdentity = new SdkStsCallerIdentity(clients.sts());
      this.clusters = new SdkEksClusters(clients.eks(), region);
      this.oidcProviders = new SdkIamOidcProviders(clients.iam());
      this.roles = new SdkIamRoles(clients.iam(), b.consistencyTimeout);
      this.policies = new SdkIamPolicies(clients.iam());
      this.thumbprints = new TlsThumbprints(b.trustManager, b.thumbprintTimeout, counter);
      this.sageMaker =
          new AwsJsonSageMakerResources(
              new AwsJsonClient(clients.http(), clients.credentials(), sageMakerService(b)),
              region,
              counter);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    LOG.debug(
        "AWS ports region={} partition={} iamSigningRegion={} endpoint={}",
        region,
        partition.id(),
        partition.globalRegion(),
        b.endpoint == null ? "default" : b.endpoint);
  }

  private record Clients(
      IamClient iam,
      EksClient eks,
      StsClient sts,
      SdkHttpClient http,
      AwsCredentialsProvider credentials) {}

  /**
   * Returns the clients passed in, and creates (and owns) the others, and the HTTP client and
   * credentials provider that the created clients and SageMaker use.
   */
  private Clients clients(Builder b) {
    SdkHttpClient http =
        own(
            UrlConnectionHttpClient.builder()
                .connectionTimeout(b.connectTimeout)
                .socketTimeout(b.socketTimeout)
                .build());
    AwsCredentialsProvider credentials = b.credentials;
    if (credentials == null) {
      credentials =
          own(
              b.profile != null
                  ? ProfileCredentialsProvider.create(b.profile)
                  : DefaultCredentialsProvider.builder().build());
    }
    ClientOverrideConfiguration override =
        ClientOverrideConfiguration.builder()
            .retryStrategy(AwsRetryStrategy.doNotRetry())
            .addExecutionInterceptor(counter)
            .build();
    Region global = Region.of(partition.globalRegion());
    Region regional = Region.of(region);
    IamClient iam =
        b.iam != null
            ? b.iam
            : own(configure(IamClient.builder(), global, http, credentials, override, b).build());
    EksClient eks =
        b.eks != null
            ? b.eks
            : own(configure(EksClient.builder(), regional, http, credentials, override, b).build());
    StsClient sts =
        b.sts != null
            ? b.sts
            : own(configure(StsClient.builder(), regional, http, credentials, override, b).build());
    return new Clients(iam, eks, sts, http, credentials);
  }

  /** SageMaker's endpoint (or the override), signing name and JSON target prefix. */
  private AwsJsonClient.Service sageMakerService(Builder b) {
    URI endpoint = b.endpoint != null ? b.endpoint : sageMakerEndpoint(region);
    return new AwsJsonClient.Service(endpoint, "sagemaker", region, "SageMaker");
  }

  /** SageMaker's API endpoint in a region: {@code https://api.sagemaker.<region>.<DNS suffix>}. */
  static URI sageMakerEndpoint(String region) {
    return URI.create(
        "https://api.sagemaker." + region + "." + Partition.ofRegion(region).dnsSuffix());
  }

  private <T> T own(T closeable) {
    owned.add((AutoCloseable) closeable);
    return closeable;
  }

  private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(
      B builder,
      Region region,
      SdkHttpClient http,
      AwsCredentialsProvider credentials,
      ClientOverrideConfiguration override,
      Builder b) {
    builder
        .region(region)
        .credentialsProvider(credentials)
        .overrideConfiguration(override)
        .httpClient(http);
    if (b.endpoint != null) {
      builder.endpointOverride(b.endpoint);
    }
    return builder;
  }

  /** Returns a builder; {@link Builder#region} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the ports for the settings an {@code OperatorSetup} was given. */
  public static AwsPorts create(AwsSettings settings) {
    Builder b = builder().region(settings.region());
    settings.endpoint().ifPresent(b::endpointOverride);
    settings.profile().ifPresent(b::profile);
    return b.build();
  }

  /** Returns the region of the EKS and STS clients. */
  public String region() {
    return region;
  }

  /** Returns the partition of {@link #region()}, which IAM's client signs for. */
  public Partition partition() {
    return partition;
  }

  /**
   * Returns how many calls the clients this object created have made so far, reads and writes per
   * service (clients passed in are not counted), the SageMaker calls ({@code sagemaker}) and the
   * thumbprints read ({@code tls}).
   */
  public AwsCallCounts callCounts() {
    return counter.snapshot();
  }

  @Override
  public CallerIdentity callerIdentity() {
    return callerIdentity;
  }

  @Override
  public Clusters clusters() {
    return clusters;
  }

  @Override
  public OidcProviders oidcProviders() {
    return oidcProviders;
  }

  @Override
  public Roles roles() {
    return roles;
  }

  @Override
  public Policies policies() {
    return policies;
  }

  @Override
  public Thumbprints thumbprints() {
    return thumbprints;
  }

  /**
   * Returns SageMaker's Describe calls for this region, counted as {@code sagemaker} reads and
   * heard by the call listener.
   */
  @Override
  public SageMakerResources sageMaker() {
    return sageMaker;
  }

  /** Closes the clients, HTTP client and credentials provider this object created. */
  @Override
  public void close() {
    for (int i = owned.size() - 1; i >= 0; i--) {
      try {
        owned.get(i).close();
      } catch (Exception e) {
        LOG.debug("Closing {} failed: {}", owned.get(i).getClass().getSimpleName(), e.toString());
      }
    }
    owned.clear();
  }

  /** Configures {@link AwsPorts}. Not thread-safe. */
  public static final class Builder {
    private String region;
    private AwsCredentialsProvider credentials;
    private String profile;
    private URI endpoint;
    private IamClient iam;
    private EksClient eks;
    private StsClient sts;
    private AwsCallListener listener;
    private X509TrustManager trustManager;
    private Duration thumbprintTimeout = Duration.ofSeconds(10);
    private Duration consistencyTimeout = DEFAULT_CONSISTENCY_TIMEOUT;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration socketTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /** Sets the cluster's region, e.g. {@code us-west-2}; required. */
    public Builder region(String region) {
      this.region = Rules.region(region);
      return this;
    }

    /**
     * Sets the credentials; without this or {@link #profile}, the SDK's default chain is used
     * (environment, system properties, profile, container, instance). Not closed by {@link
     * AwsPorts#close()}.
     */
    public Builder credentialsProvider(AwsCredentialsProvider credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /** Reads credentials from a named profile of the AWS config and credentials files. */
    public Builder profile(String profile) {
      this.profile = Objects.requireNonNull(profile, "profile");
      return this;
    }

    /** Sends every STS, EKS, IAM and SageMaker call to one endpoint, e.g. an emulator's. */
    public Builder endpointOverride(URI endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** Uses this IAM client (as configured, not counted, not closed). */
    public Builder iamClient(IamClient iam) {
      this.iam = Objects.requireNonNull(iam, "iam");
      return this;
    }

    /** Uses this EKS client (as configured, not counted, not closed). */
    public Builder eksClient(EksClient eks) {
      this.eks = Objects.requireNonNull(eks, "eks");
      return this;
    }

    /** Uses this STS client (as configured, not counted, not closed). */
    public Builder stsClient(StsClient sts) {
      this.sts = Objects.requireNonNull(sts, "sts");
      return this;
    }

    /** Tells a listener of every call, e.g. to feed a test's call log or metrics. */
    public Builder callListener(AwsCallListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Sets the certificates the thumbprint's TLS handshake trusts (default: the JVM's trust store).
     */
    public Builder thumbprintTrustManager(X509TrustManager trustManager) {
      this.trustManager = Objects.requireNonNull(trustManager, "trustManager");
      return this;
    }

    /** Sets the connect and read timeout of the thumbprint's TLS handshake (default 10s). */
    public Builder thumbprintTimeout(Duration timeout) {
      this.thumbprintTimeout = positive("thumbprint timeout", timeout);
      return this;
    }

    /**
     * Sets how long to wait for a new IAM role to become visible, and to retry changes to it that
     * fail with NoSuchEntity (default 60s).
     */
    public Builder consistencyTimeout(Duration timeout) {
      this.consistencyTimeout = positive("consistency timeout", timeout);
      return this;
    }

    /** Sets the HTTP connect and socket timeouts of the clients this builder creates. */
    public Builder httpTimeouts(Duration connect, Duration socket) {
      this.connectTimeout = positive("connect timeout", connect);
      this.socketTimeout = positive("socket timeout", socket);
      return this;
    }

    private static Duration positive(String field, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new InvalidConfigurationException(
            field, String.valueOf(d), "must be a positive duration", "pass e.g. 30s");
      }
      return d;
    }

    /**
     * Creates the clients and ports.
     *
     * @throws InvalidConfigurationException if the region is missing, or both credentials and a
     *     profile were given
     */
    public AwsPorts build() {
      if (region == null) {
        throw new InvalidConfigurationException(
            "region",
            null,
            "the AWS ports need the cluster's region",
            "call .region(\"us-west-2\")");
      }
      if (credentials != null && profile != null) {
        throw new InvalidConfigurationException(
            "profile",
            profile,
            "a profile and a credentials provider were both given",
            "pass only one of them");
      }
      return new AwsPorts(this);
    }
  }
}
