package dev.operatorsetup.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * One finding of {@code verify} or {@code diagnose}: what was checked, whether it holds, what was
 * seen and, when it does not hold, the fix (also at the end of the detail, after {@code fix:}).
 */
@Value.Immutable
@ValueStyle
@JsonSerialize(as = ImmutableCheck.class)
@JsonDeserialize(as = ImmutableCheck.class)
public interface Check {
  String name();

  boolean ok();

  String detail();

  /** What to do about a failed check; empty when it passed. */
  Optional<String> fix();

  static Check of(String name, boolean ok, String detail) {
    return new Builder().name(name).ok(ok).detail(detail).build();
  }

  /** A check that holds. */
  static Check passed(String name, String detail) {
    return of(name, true, detail);
  }

  /** A check that does not hold: the problem and its fix. */
  static Check failed(String name, String problem, String fix) {
    return new Builder().name(name).ok(false).detail(problem + "; fix: " + fix).fix(fix).build();
  }

  class Builder extends ImmutableCheck.Builder {}
}
