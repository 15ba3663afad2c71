package dev.operatorsetup.aws;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.Loggers;
import dev.operatorsetup.OperatorSetupException;
import dev.operatorsetup.port.SageMakerKind;
import dev.operatorsetup.port.SageMakerResources;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@link SageMakerResources} over SageMaker's Describe operations, spoken in its {@code awsJson1_1}
 * protocol through an {@link AwsJsonClient} (the SDK's SageMaker client is not used). One attempt
 * per call; each call is counted as a {@code sagemaker} read.
 *
 * <p><b>Not found.</b> SageMaker has no single answer for a missing resource, and neither has moto:
 *
 * <ul>
 *   <li>AWS: HTTP 400 {@code ValidationException} with {@code Could not find model "ARN"} (and
 *       {@code Could not find endpoint configuration}, {@code Could not find endpoint}), {@code
 *       Requested resource not found} (training job), {@code Could not find requested job} (with
 *       name: processing and transform jobs); HTTP 400 {@code ResourceNotFound} (tuning job; the
 *       API reference documents it for the four job kinds).
 *   <li>moto 5.2: HTTP 400 {@code ValidationException} {@code Could not find <kind> 'ARN'.} for six
 *       kinds; {@code ResourceNotFound} {@code Could not find hyper parameter tuning job 'NAME'.}
 *       for the tuning job.
 * </ul>
 *
 * So {@code ResourceNotFound} (and {@code ResourceNotFoundException}) is not found whatever it
 * says, and so is a {@code ValidationException} whose message starts as above. Any other {@code
 * ValidationException} (a name that breaks SageMaker's pattern) is an {@link
 * InvalidConfigurationException}; every other error is mapped by {@link AwsErrors}.
 */
final class AwsJsonSageMakerResources implements SageMakerResources {
  private static final Logger LOG = LoggerFactory.getLogger(Loggers.AWS);
  private static final Set<String> NOT_FOUND_CODES =
      Set.of("ResourceNotFound", "ResourceNotFoundException");
  private static final String[] NOT_FOUND_MESSAGES = {
    "could not find", "requested resource not found", "cannot find"
  };

  private final AwsJsonClient client;
  private final String region;
  private final CallCounter counter;

  AwsJsonSageMakerResources(AwsJsonClient client, String region, CallCounter counter) {
    this.client = client;
    this.region = region;
    this.counter = counter;
  }

  @Override
  public Optional<Map<String, Object>> describe(SageMakerKind kind, String name) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    String action = "sagemaker:" + kind.operation();
    counter.record("sagemaker", kind.operation());
    try {
      Map<String, Object> output = client.call(kind.operation(), Map.of(kind.nameMember(), name));
      LOG.debug("call={} {}={} region={} found=true", action, kind.nameMember(), name, region);
      return Optional.of(output);
    } catch (SdkException e) {
      if (isNotFound(e)) {
        LOG.debug("call={} {}={} region={} found=false", action, kind.nameMember(), name, region);
        return Optional.empty();
      }
      throw map(kind, name, action, e);
    }
  }

  /** Whether SageMaker (or moto) said that there is no resource of that name; see above. */
  static boolean isNotFound(SdkException e) {
    String code = AwsErrors.code(e);
    if (NOT_FOUND_CODES.contains(code)) {
      return true;
    }
    if (!"ValidationException".equals(code)) {
      return false;
    }
    String message = AwsErrors.awsMessage(e).trim().toLowerCase(Locale.ROOT);
    for (String prefix : NOT_FOUND_MESSAGES) {
      if (message.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private OperatorSetupException map(
      SageMakerKind kind, String name, String action, SdkException e) {
    String subject = "SageMaker " + kind.label() + " '" + name + "' in " + region;
    if (e instanceof AwsServiceException && "ValidationException".equals(AwsErrors.code(e))) {
      return new InvalidConfigurationException(
          kind.nameMember(),
          name,
          "SageMaker rejected it in "
              + action
              + " (ValidationException: "
              + AwsErrors.awsMessage(e)
              + ")",
          "pass the name of the "
              + kind.label()
              + " as SageMaker has it: letters, digits and hyphens, starting and ending with a"
              + " letter or digit, at most "
              + (kind == SageMakerKind.HYPER_PARAMETER_TUNING_JOB ? 32 : 63)
              + " characters");
    }
    return AwsErrors.map(action, subject, e);
  }
}
