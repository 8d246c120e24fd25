package io.github.mcppolicyproxy.standin;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The API operation an {@code aws} CLI command runs, as the real server reports it in
 * {@code metadata}: {@code aws omics start-read-set-export-job} is omics / StartReadSetExportJob.
 *
 * @param service the API service name ({@code s3api} and {@code s3} are {@code s3})
 * @param operation the PascalCase API operation
 * @param region {@code --region} when given, else the default region
 */
record CliOperation(String service, String operation, String region) {

  private static final Map<String, String> API_SERVICE = Map.of(
      "s3api", "s3", "configservice", "config");

  private static final Map<String, String> FULL_NAMES = Map.of(
      "sts", "AWS Security Token Service",
      "omics", "Amazon Omics",
      "s3", "Amazon Simple Storage Service",
      "ec2", "Amazon Elastic Compute Cloud",
      "iam", "AWS Identity and Access Management",
      "lambda", "AWS Lambda",
      "config", "AWS Config");

  private static final List<String> READ_PREFIXES =
      List.of("Get", "List", "Describe", "Head", "Search", "Lookup", "Query", "Scan");

  /** Parses a command; empty when it is not {@code aws <service> <operation> ...}. */
  static Optional<CliOperation> of(String command, String defaultRegion) {
    String[] words = command.strip().split("\\s+");
    if (words.length < 3 || !words[0].equals("aws") || words[1].startsWith("-") || words[2].startsWith("-")) {
      return Optional.empty();
    }
    String cliService = words[1];
    String service = API_SERVICE.getOrDefault(cliService, cliService);
    String operation = cliService.equals("s3") ? s3Customization(words) : pascalCase(words[2]);
    String region = defaultRegion;
    for (int i = 3; i < words.length - 1; i++) {
      if (words[i].equals("--region")) {
        region = words[i + 1];
      }
    }
    return Optional.of(new CliOperation(service, operation, region));
  }

  /** {@code start-read-set-export-job} → {@code StartReadSetExportJob}. */
  static String pascalCase(String kebab) {
    StringBuilder out = new StringBuilder(kebab.length());
    for (String part : kebab.split("-")) {
      if (!part.isEmpty()) {
        out.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
      }
    }
    return out.toString();
  }

  /** The high-level {@code aws s3} commands stand for the API call they mostly make. */
  private static String s3Customization(String[] words) {
    long s3Paths = Arrays.stream(words).skip(3).filter(w -> w.startsWith("s3://")).count();
    return switch (words[2]) {
      case "ls" -> s3Paths == 0 ? "ListBuckets" : "ListObjectsV2";
      case "cp", "mv" -> s3Paths >= 2 ? "CopyObject"
          : words.length > 3 && words[3].startsWith("s3://") ? "GetObject" : "PutObject";
      case "rm" -> "DeleteObject";
      case "mb" -> "CreateBucket";
      case "rb" -> "DeleteBucket";
      case "sync" -> "ListObjectsV2";
      case "presign" -> "GetObject";
      case "website" -> "PutBucketWebsite";
      default -> pascalCase(words[2]);
    };
  }

  String serviceFullName() {
    return FULL_NAMES.getOrDefault(service, service);
  }

  /** A read by the operation's verb, as the server's read-only mode judges it. */
  boolean isRead() {
    return READ_PREFIXES.stream().anyMatch(operation::startsWith);
  }
}
