package dev.operatorsetup.aws;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts API calls per service as reads ({@code Get*}, {@code List*}, {@code Describe*}) or writes,
 * as an SDK interceptor and for the TLS thumbprint reads, and tells a listener. Thread-safe.
 */
final class CallCounter implements ExecutionInterceptor {
  private final Map<String, LongAdder[]> counts = new ConcurrentHashMap<>();
  private final AwsCallListener listener;

  CallCounter(AwsCallListener listener) {
    this.listener = listener;
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    record(service == null ? "unknown" : service.toLowerCase(Locale.ROOT), operation);
  }

  /** Records one call; {@code service} is lower-case, e.g. {@code iam}. */
  void record(String service, String operation) {
    boolean write = isWrite(operation);
    counts
        .computeIfAbsent(service, k -> new LongAdder[] {new LongAdder(), new LongAdder()})[
        write ? 1 : 0]
        .increment();
    if (listener != null) {
      listener.onCall(service, operation, write);
    }
  }

  static boolean isWrite(String operation) {
    return operation == null
        || !(operation.startsWith("Get")
            || operation.startsWith("List")
            || operation.startsWith("Describe"));
  }

  AwsCallCounts snapshot() {
    Map<String, AwsCallCounts.Count> out = new LinkedHashMap<>();
    counts.forEach(
        (service, c) -> out.put(service, new AwsCallCounts.Count(c[0].sum(), c[1].sum())));
    return new AwsCallCounts(out);
  }
}
