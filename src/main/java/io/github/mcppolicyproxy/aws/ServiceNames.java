package io.github.mcppolicyproxy.aws;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The IAM service prefix of a CLI service, which operation keys use ({@code s3api} is {@code s3},
 * {@code accessanalyzer} is {@code access-analyzer}, {@code location} is {@code geo}).
 *
 * <p>The prefix is botocore's {@code signingName} (the name SigV4 signs with, which IAM uses as the
 * action prefix), taken from the service models in {@link CliModel}, except for the few services
 * whose IAM prefix is neither ({@link #OVERRIDES}, from the IAM Service Authorization Reference).
 * Policies may name a service by any of its names (CLI word, botocore name, signing name, endpoint
 * prefix, IAM prefix): see {@link AwsRuleKeys}.
 */
final class ServiceNames {

  /** CLI service word to IAM prefix where the signing name is not the IAM prefix. */
  private static final Map<String, String> OVERRIDES = Map.of(
      "resourcegroupstaggingapi", "tag",
      "iot-data", "iot",
      "iotevents-data", "iotevents",
      "mturk", "mechanicalturk");

  /**
   * Services whose endpoint lives in one fixed region; the upstream overrides any region for them
   * (aws_api_mcp_server/core/aws/regions.py GLOBAL_SERVICE_REGIONS, keyed by botocore name).
   */
  private static final Map<String, String> FIXED_REGION = Map.of(
      "devicefarm", "us-west-2",
      "ecr-public", "us-east-1",
      "globalaccelerator", "us-west-2",
      "marketplace-catalog", "us-east-1",
      "route53-recovery-control-config", "us-west-2",
      "route53-recovery-readiness", "us-west-2",
      "route53domains", "us-east-1",
      "sagemaker-geospatial", "us-west-2");

  private ServiceNames() {
  }

  /** The IAM service prefix of a service of the model. */
  static String iamPrefix(CliModel.Service service) {
    String override = OVERRIDES.get(service.cliName());
    if (override != null) {
      return override;
    }
    return service.signingName().orElse(service.cliName());
  }

  /** Every name a policy may use for this service: CLI word, botocore name, signing name, endpoint prefix, IAM prefix. */
  static Set<String> aliases(CliModel.Service service) {
    // no bound method references: this runs for every service of the model in the warm-up, in
    // the interpreter, where each one is made through the method-handle runtime
    Set<String> names = new LinkedHashSet<>();
    names.add(iamPrefix(service));
    names.add(service.cliName());
    addIfPresent(names, service.botocoreName());
    addIfPresent(names, service.signingName());
    addIfPresent(names, service.endpointPrefix());
    return names;
  }

  private static void addIfPresent(Set<String> names, Optional<String> name) {
    if (name.isPresent()) {
      names.add(name.get());
    }
  }

  /** Every IAM prefix an operation key can have (API services and the prefixes customizations call). */
  static Set<String> allIamPrefixes() {
    Set<String> out = new TreeSet<>();
    for (CliModel.Service s : CliModel.get().services().values()) {
      if (s.botocoreName().isPresent()) {
        out.add(iamPrefix(s));
      }
    }
    out.add("rds-db");
    return out;
  }

  /** The region the upstream forces for this botocore service's API operations, if any. */
  static Optional<String> fixedRegion(String botocoreService) {
    return Optional.ofNullable(FIXED_REGION.get(botocoreService));
  }
}
