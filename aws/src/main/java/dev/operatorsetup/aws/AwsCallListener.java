package dev.operatorsetup.aws;

/**
 * Hears of every AWS call the ports of an {@link AwsPorts} make, for metrics or a test's call log.
 * Called on the calling thread, once per API call (retries not counted again), before it is sent.
 *
 * {@snippet :
 * AwsPorts ports =
 *     AwsPorts.builder()
 *         .region("us-west-2")
 *         .callListener((service, operation, write) -> log.record(service, operation, write))
 *         .build();
 * }
 */
@FunctionalInterface
public interface AwsCallListener {
  /**
   * Receives one call.
   *
   * @param service {@code iam}, {@code eks}, {@code sts}, {@code sagemaker}, or {@code tls} for a
   *     thumbprint
   * @param operation the API operation, e.g. {@code CreateRole}
   * @param write false for {@code Get*}, {@code List*} and {@code Describe*} operations
   */
  void onCall(String service, String operation, boolean write);
}
