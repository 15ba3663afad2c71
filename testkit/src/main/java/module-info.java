/**
 * Fakes of the ports, the contract suites every adapter runs, and the emulator fixtures (moto,
 * LocalStack, a local control plane) for tests.
 */
module dev.operatorsetup.testkit {
  requires transitive dev.operatorsetup.core;
  requires transitive org.junit.jupiter.api;
  requires transitive org.assertj.core;
  // Testcontainers has no module name of its own: these are derived from its jar names.
  requires testcontainers;
  requires testcontainers.localstack;
  requires java.net.http;
  requires static org.immutables.value.annotations;

  exports dev.operatorsetup.testkit;
  exports dev.operatorsetup.testkit.contract;
  exports dev.operatorsetup.testkit.localstack;
  exports dev.operatorsetup.testkit.moto;
  exports dev.operatorsetup.testkit.plane;

  // JUnit finds and calls the contract suites' test methods and the extensions by reflection.
  opens dev.operatorsetup.testkit to
      org.junit.platform.commons;
  opens dev.operatorsetup.testkit.contract to
      org.junit.platform.commons;
  opens dev.operatorsetup.testkit.moto to
      org.junit.platform.commons;
  opens dev.operatorsetup.testkit.plane to
      org.junit.platform.commons;
}
