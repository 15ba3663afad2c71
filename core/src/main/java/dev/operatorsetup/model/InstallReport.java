package dev.operatorsetup.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What a terminal operation did: for {@code plan} the changes it would make, for {@code install}
 * and {@code uninstall} the changes it made, for {@code verify} and {@code diagnose} the checks.
 */
@Value.Immutable
@ValueStyle
@JsonSerialize(as = ImmutableInstallReport.class)
@JsonDeserialize(as = ImmutableInstallReport.class)
public interface InstallReport {
  /** {@code plan}, {@code install}, {@code verify}, {@code uninstall} or {@code diagnose}. */
  String command();

  String cluster();

  String region();

  Optional<String> account();

  Optional<String> roleArn();

  Optional<String> oidcProviderArn();

  Optional<String> serviceAccount();

  List<Change> changes();

  List<Check> checks();

  long durationMillis();

  /** Returns whether anything was (or would be) created, updated or deleted. */
  @JsonIgnore
  default boolean changed() {
    return changes().stream().anyMatch(c -> c.action() != ChangeAction.UNCHANGED);
  }

  /** Returns whether every check passed. */
  @JsonIgnore
  default boolean healthy() {
    return checks().stream().allMatch(Check::ok);
  }

  /** Returns the changes with this action. */
  default List<Change> changes(ChangeAction action) {
    return changes().stream().filter(c -> c.action() == action).toList();
  }

  class Builder extends ImmutableInstallReport.Builder {}
}
