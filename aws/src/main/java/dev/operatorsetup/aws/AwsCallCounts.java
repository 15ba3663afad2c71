package dev.operatorsetup.aws;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** A snapshot of how many AWS calls an {@link AwsPorts} made, reads and writes per service. */
public final class AwsCallCounts {
  /** The reads and writes of one service. */
  public record Count(long reads, long writes) {
    /** Returns reads plus writes. */
    public long total() {
      return reads + writes;
    }
  }

  private final Map<String, Count> byService;

  AwsCallCounts(Map<String, Count> byService) {
    this.byService = Collections.unmodifiableMap(new TreeMap<>(byService));
  }

  /**
   * Returns the counts per service ({@code iam}, {@code eks}, {@code sts}, {@code sagemaker},
   * {@code tls}).
   */
  public Map<String, Count> byService() {
    return byService;
  }

  /** Returns the read calls made to one service. */
  public long reads(String service) {
    Count c = byService.get(service);
    return c == null ? 0 : c.reads();
  }

  /** Returns the write calls made to one service. */
  public long writes(String service) {
    Count c = byService.get(service);
    return c == null ? 0 : c.writes();
  }

  /** Returns the read calls made to every service. */
  public long reads() {
    return byService.values().stream().mapToLong(Count::reads).sum();
  }

  /** Returns the write calls made to every service. */
  public long writes() {
    return byService.values().stream().mapToLong(Count::writes).sum();
  }

  /** Returns e.g. {@code eks 1r/0w, iam 5r/2w, sts 1r/0w}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    byService.forEach(
        (service, c) ->
            out.append(out.length() == 0 ? "" : ", ")
                .append(service)
                .append(' ')
                .append(c.reads())
                .append("r/")
                .append(c.writes())
                .append('w'));
    return out.length() == 0 ? "no calls" : out.toString();
  }
}
