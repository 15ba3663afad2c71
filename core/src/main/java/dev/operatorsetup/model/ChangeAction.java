package dev.operatorsetup.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a step does, or would do, to one resource. */
public enum ChangeAction {
  CREATE,
  UPDATE,
  UNCHANGED,
  DELETE;

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
