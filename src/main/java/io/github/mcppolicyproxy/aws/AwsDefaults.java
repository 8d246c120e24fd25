package io.github.mcppolicyproxy.aws;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the effective region and profile come from when a command does not name them: the
 * environment of the upstream server.
 *
 * @param region              the region of API operations ({@code AWS_REGION}, then
 *                            {@code AWS_DEFAULT_REGION}), if configured
 * @param profile             the default profile, if the upstream has one configured
 * @param customizationRegion the region of customizations ({@code aws s3 ...}, {@code aws eks
 *                            get-token}): awscli's driver reads {@code AWS_DEFAULT_REGION} only
 * @param serverProfile       the profile the server appends to customizations
 *                            ({@code AWS_API_MCP_PROFILE_NAME}), if set
 */
public record AwsDefaults(Optional<String> region, Optional<String> profile, Optional<String> customizationRegion,
    Optional<String> serverProfile) {

  /** Validates that every part is present (possibly empty) and not blank when present. */
  public AwsDefaults {
    for (Optional<String> part : java.util.Arrays.asList(region, profile, customizationRegion, serverProfile)) {
      Objects.requireNonNull(part, "defaults must not be null (use Optional.empty())");
      if (part.filter(String::isBlank).isPresent()) {
        throw new IllegalArgumentException("a default region or profile must not be blank");
      }
    }
  }

  /**
   * Defaults where customizations use the same region as API operations and the server appends
   * {@code profile} to customizations (the server's configuration when both come from
   * {@code AWS_DEFAULT_REGION} and {@code AWS_API_MCP_PROFILE_NAME}).
   */
  public AwsDefaults(Optional<String> region, Optional<String> profile) {
    this(region, profile, region, profile);
  }

  /** No default region and no default profile. */
  public static AwsDefaults none() {
    return new AwsDefaults(Optional.empty(), Optional.empty());
  }

  /**
   * Reads the defaults the way the upstream does: region from {@code AWS_REGION}, then
   * {@code AWS_DEFAULT_REGION} (customizations: {@code AWS_DEFAULT_REGION} only); profile from
   * {@code AWS_API_MCP_PROFILE_NAME}, then {@code AWS_PROFILE}; the profile appended to
   * customizations from {@code AWS_API_MCP_PROFILE_NAME}. Blank values count as absent.
   */
  public static AwsDefaults fromEnvironment(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    return new AwsDefaults(
        firstNonBlank(env, "AWS_REGION", "AWS_DEFAULT_REGION"),
        firstNonBlank(env, "AWS_API_MCP_PROFILE_NAME", "AWS_PROFILE"),
        firstNonBlank(env, "AWS_DEFAULT_REGION"),
        firstNonBlank(env, "AWS_API_MCP_PROFILE_NAME"));
  }

  private static Optional<String> firstNonBlank(Map<String, String> env, String... names) {
    for (String name : names) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        return Optional.of(value.strip());
      }
    }
    return Optional.empty();
  }
}
