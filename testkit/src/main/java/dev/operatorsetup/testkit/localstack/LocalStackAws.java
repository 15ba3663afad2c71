package dev.operatorsetup.testkit.localstack;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * LocalStack in a Docker container (Testcontainers), for running the AWS contract suites on a
 * machine with Docker. LocalStack needs {@code LOCALSTACK_AUTH_TOKEN} since its images were unified
 * in 2026, has EKS only in its Pro image, wraps moto for IAM and STS, and does not enforce IAM by
 * default; the project's own runs use {@link dev.operatorsetup.testkit.moto.MotoServer} instead.
 *
 * <p>Put {@link Condition} before {@code @Testcontainers(disabledWithoutDocker = true)} on a test
 * class: it disables the class, printing why, when there is no Docker engine or no auth token.
 *
 * {@snippet :
 * @ExtendWith(LocalStackAws.Condition.class)
 * @Testcontainers(disabledWithoutDocker = true)
 * class LocalStackRolesIT {
 *   static LocalStackContainer localStack;
 *
 *   @BeforeAll static void start() { localStack = LocalStackAws.start(); }
 *   @AfterAll static void stop() { localStack.stop(); }
 * }
 * }
 */
public final class LocalStackAws {
  /** Environment variable with the image to run instead of {@link #DEFAULT_IMAGE}. */
  public static final String IMAGE_ENV = "OPERATOR_SETUP_LOCALSTACK_IMAGE";

  /** The environment variable LocalStack reads its licence token from. */
  public static final String AUTH_TOKEN_ENV = "LOCALSTACK_AUTH_TOKEN";

  /** The pinned image: the Pro image, since EKS is not in the community one. */
  public static final String DEFAULT_IMAGE = "localstack/localstack-pro:4.7.0";

  private LocalStackAws() {}

  /** Returns why LocalStack cannot run here, or empty if it can. */
  public static Optional<String> unavailableReason() {
    boolean docker;
    try {
      docker = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      docker = false;
    }
    if (!docker) {
      return Optional.of(
          "no Docker engine is available (Testcontainers found none); the AWS contract suites run"
              + " against moto_server instead (the *IT classes using MotoServer)");
    }
    String token = System.getenv(AUTH_TOKEN_ENV);
    if (token == null || token.isBlank()) {
      return Optional.of(
          AUTH_TOKEN_ENV + " is not set; LocalStack images need a licence token since 2026");
    }
    return Optional.empty();
  }

  /** Returns a LocalStack container, not yet started, with IAM, STS and EKS. */
  public static LocalStackContainer container() {
    String image = Optional.ofNullable(System.getenv(IMAGE_ENV)).orElse(DEFAULT_IMAGE);
    LocalStackContainer container =
        new LocalStackContainer(
            DockerImageName.parse(image).asCompatibleSubstituteFor("localstack/localstack"));
    String token = System.getenv(AUTH_TOKEN_ENV);
    if (token != null) {
      container.withEnv(AUTH_TOKEN_ENV, token);
    }
    return container.withEnv("SERVICES", "iam,sts,eks");
  }

  /** Starts a container from {@link #container()} and returns it. */
  public static LocalStackContainer start() {
    LocalStackContainer container = container();
    container.start();
    return container;
  }

  /** Disables a test class, printing the reason once, when LocalStack cannot run here. */
  public static final class Condition implements ExecutionCondition {
    private static final AtomicBoolean PRINTED = new AtomicBoolean();

    /** Creates the condition; JUnit calls this. */
    public Condition() {}

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      Optional<String> reason = unavailableReason();
      if (reason.isEmpty()) {
        return ConditionEvaluationResult.enabled("Docker and " + AUTH_TOKEN_ENV + " are available");
      }
      String text = "LocalStack contract tests skipped: " + reason.get();
      if (PRINTED.compareAndSet(false, true)) {
        System.err.println("[LocalStackAws] " + text);
      }
      return ConditionEvaluationResult.disabled(text);
    }
  }
}
