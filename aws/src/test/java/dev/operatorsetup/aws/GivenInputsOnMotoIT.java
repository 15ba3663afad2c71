package dev.operatorsetup.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.Manifests;
import dev.operatorsetup.OperatorSetup;
import dev.operatorsetup.testkit.CallLog;
import dev.operatorsetup.testkit.moto.MotoServer;
import dev.operatorsetup.testkit.moto.MotoServerExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An input the caller gives is checked even where the mode does not use it: {@code install
 * --aws-only --manifest /no/such/file} succeeded before (the manifest was ignored); on moto_server
 * it is now refused naming the manifest, and nothing at all is sent to AWS.
 */
class GivenInputsOnMotoIT {
  @RegisterExtension static final MotoServerExtension MOTO = new MotoServerExtension();

  static final String REGION = "us-east-1";
  static final String CLUSTER = "given-inputs";
  static final String ISSUER =
      "https://oidc.eks.us-east-1.amazonaws.com/id/CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC";

  private final MotoServer moto = MOTO.server();
  private final CallLog calls = new CallLog();
  private final AwsPorts ports =
      AwsPorts.builder()
          .region(REGION)
          .credentialsProvider(MotoAws.CREDENTIALS)
          .endpointOverride(moto.endpoint())
          .callListener(calls::record)
          .build();

  @AfterEach
  void close() {
    ports.close();
  }

  @Test
  void anAwsOnlyInstallWithAManifestThatDoesNotExist_isRefusedBeforeAnyCall() throws Exception {
    moto.createCluster(REGION, CLUSTER, ISSUER);
    Path missing = Path.of("/no/such/installer.yaml");

    assertThatThrownBy(
            () ->
                OperatorSetup.forCluster(CLUSTER)
                    .inRegion(REGION)
                    .withRole("given-inputs-role")
                    .withAws(ports)
                    .awsOnly()
                    .withManifest(Manifests.file(missing))
                    .withTimeout(Duration.ofMinutes(1))
                    .install())
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("Fix");
    assertThat(calls.calls()).as("nothing sent to AWS").isEmpty();
    assertThat(ports.roles().find("given-inputs-role")).isEmpty();
  }
}
