package dev.operatorsetup.internal;

import dev.operatorsetup.port.AwsServices;
import dev.operatorsetup.port.KubernetesConnector;
import java.util.Optional;

/**
 * The connections of one operation: the AWS ports, and a way to reach the cluster's API server
 * unless the operation is AWS-only.
 */
public record Ports(AwsServices aws, Optional<KubernetesConnector> kubernetes) {}
