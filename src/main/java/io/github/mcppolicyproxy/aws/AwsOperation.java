package io.github.mcppolicyproxy.aws;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One API operation a command performs, named as in IAM policies: {@code omics:StartReadSetExportJob}.
 *
 * <p>{@code service} is the IAM service prefix (see {@link ServiceNames}); {@code name} is the API
 * operation name. IAM compares action names case-insensitively, and so should policies: for
 * operations outside the table of known acronyms the name is the CLI name PascalCased, which is
 * always equal to the real API name when case is ignored (see {@link OperationNames}).
 *
 * @param service IAM service prefix, lowercase, e.g. {@code s3}, {@code elasticloadbalancing}
 * @param name    operation name, e.g. {@code ListObjectsV2}, {@code connect} for {@code rds-db:connect}
 */
public record AwsOperation(String service, String name) {

  /** The shapes both parts must have, as regexes (for tests; the checks below need no regex). */
  static final Pattern SERVICE = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
  static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]*");

  /** Validates both parts against the shapes IAM uses. */
  public AwsOperation {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(name, "name");
    if (!isServicePrefix(service)) {
      throw new IllegalArgumentException("service \"" + service + "\" is not a lowercase IAM service prefix");
    }
    if (!isName(name)) {
      throw new IllegalArgumentException("operation name \"" + name + "\" is not alphanumeric starting with a letter");
    }
  }

  /** {@link #SERVICE}: lowercase letters and digits in runs joined by single dashes. */
  static boolean isServicePrefix(String s) {
    if (s.isEmpty() || s.charAt(0) == '-' || s.charAt(s.length() - 1) == '-') {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!alnum && (c != '-' || s.charAt(i - 1) == '-')) {
        return false;
      }
    }
    return true;
  }

  /** {@link #NAME}: an ASCII letter, then ASCII letters and digits. */
  static boolean isName(String s) {
    if (s.isEmpty() || !isLetter(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!isLetter(c) && (c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** {@code service:name}, the key policies use, e.g. {@code s3:PutObject}. */
  public String key() {
    return service + ":" + name;
  }

  /** Parses {@code service:Name}; for tables and tests. */
  static AwsOperation of(String key) {
    int colon = key.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("operation key \"" + key + "\" has no ':'");
    }
    return new AwsOperation(key.substring(0, colon), key.substring(colon + 1));
  }

  @Override
  public String toString() {
    return key();
  }
}
