package io.github.mcppolicyproxy.aws;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the effective region and profile come from when a command does not name them: the
 * environment of the upstream server.
 *
 * @param region  the default region, if the upstream has one configured
 * @param profile the default profile, if the upstream has one configured
 */
public record AwsDefaults(Optional<String> region, Optional<String> profile) {

  /** Validates that both parts are present (possibly empty) and not blank when present. */
  public AwsDefaults {
    Objects.requireNonNull(region, "region must not be null (use Optional.empty())");
    Objects.requireNonNull(profile, "profile must not be null (use Optional.empty())");
    if (region.filter(String::isBlank).isPresent()) {
      throw new IllegalArgumentException("default region must not be blank");
    }
    if (profile.filter(String::isBlank).isPresent()) {
      throw new IllegalArgumentException("default profile must not be blank");
    }
  }

  /** No default region and no default profile. */
  public static AwsDefaults none() {
    return new AwsDefaults(Optional.empty(), Optional.empty());
  }

  /**
   * Reads the defaults the way the upstream does: region from {@code AWS_REGION}, then
   * {@code AWS_DEFAULT_REGION}; profile from {@code AWS_API_MCP_PROFILE_NAME}, then
   * {@code AWS_PROFILE}. Blank values count as absent.
   */
  public static AwsDefaults fromEnvironment(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    return new AwsDefaults(
        firstNonBlank(env, "AWS_REGION", "AWS_DEFAULT_REGION"),
        firstNonBlank(env, "AWS_API_MCP_PROFILE_NAME", "AWS_PROFILE"));
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
