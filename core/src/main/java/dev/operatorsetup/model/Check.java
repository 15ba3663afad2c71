package dev.operatorsetup.model;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import org.immutables.value.Value;

/** One verification: what was checked, whether it holds, and what was seen (and the fix). */
@Value.Immutable
@ValueStyle
@JsonSerialize(as = ImmutableCheck.class)
@JsonDeserialize(as = ImmutableCheck.class)
public interface Check {
  String name();

  boolean ok();

  String detail();

  static Check of(String name, boolean ok, String detail) {
    return new Builder().name(name).ok(ok).detail(detail).build();
  }

  class Builder extends ImmutableCheck.Builder {}
}
