package io.github.mcppolicyproxy.aws;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The API operations each high-level {@code aws s3} command performs for its paths and options
 * (aws-cli 1.45 {@code awscli/customizations/s3/subcommands.py}); the options themselves are read
 * with the command's argparse table from {@link CliModel}.
 */
final class S3Commands {

  /** Positional paths each command takes: {min, max}. */
  private static final Map<String, int[]> PATHS = Map.of(
      "ls", new int[] {0, 1}, "website", new int[] {1, 1}, "presign", new int[] {1, 1},
      "cp", new int[] {2, 2}, "mv", new int[] {2, 2}, "sync", new int[] {2, 2},
      "rm", new int[] {1, 1}, "mb", new int[] {1, 1}, "rb", new int[] {1, 1});

  private S3Commands() {
  }

  /**
   * The API operations of {@code aws s3 <command>} with these paths and options.
   *
   * @throws UnparseableCommandException when the paths do not fit the command
   */
  static List<AwsOperation> operations(String command, List<String> paths, Set<String> options)
      throws UnparseableCommandException {
    int[] range = PATHS.get(command);
    if (range == null) {
      throw new UnparseableCommandException("\"" + command + "\" is not an aws s3 command the proxy knows");
    }
    if (paths.size() < range[0] || paths.size() > range[1]) {
      throw new UnparseableCommandException("aws s3 " + command + " takes "
          + (range[0] == range[1] ? String.valueOf(range[0]) : range[0] + " to " + range[1])
          + " path argument(s), got " + paths.size() + (paths.isEmpty() ? "" : ": " + paths));
    }
    boolean recursive = options.contains("recursive");
    Set<String> ops = new LinkedHashSet<>();
    switch (command) {
      case "ls" -> {
        String path = paths.isEmpty() ? "" : stripScheme(paths.get(0));
        ops.add(path.isEmpty() ? "ListBuckets" : "ListObjectsV2");
      }
      case "website" -> ops.add("PutBucketWebsite");
      case "presign" -> ops.add("GetObject");
      case "mb" -> ops.add("CreateBucket");
      case "rb" -> {
        if (options.contains("force")) {
          ops.add("ListObjectsV2");
          ops.add("DeleteObject");
        }
        ops.add("DeleteBucket");
      }
      case "rm" -> {
        requireS3(command, paths.get(0));
        if (recursive) {
          ops.add("ListObjectsV2");
        }
        ops.add("DeleteObject");
      }
      case "cp", "mv", "sync" -> transfer(command, paths.get(0), paths.get(1), recursive, options, ops);
      default -> throw new IllegalStateException("no S3 command " + command);
    }
    List<AwsOperation> result = new ArrayList<>();
    for (String op : ops) {
      result.add(new AwsOperation("s3", op));
    }
    return result;
  }

  private static void transfer(String command, String source, String destination, boolean recursive,
      Set<String> options, Set<String> ops) throws UnparseableCommandException {
    boolean fromS3 = isS3(source);
    boolean toS3 = isS3(destination);
    if (!fromS3 && !toS3) {
      throw new UnparseableCommandException("aws s3 " + command + " needs at least one s3:// path, got "
          + source + " and " + destination);
    }
    if (command.equals("sync") || recursive) {
      ops.add("ListObjectsV2");
    }
    if (fromS3 && toS3) {
      ops.add("CopyObject");
      ops.add("GetObject");
    } else if (fromS3) {
      ops.add("GetObject");
    } else {
      ops.add("PutObject");
    }
    if (command.equals("mv") && fromS3) {
      ops.add("DeleteObject");
    }
    if (command.equals("sync") && options.contains("delete") && toS3) {
      ops.add("DeleteObject");
    }
  }

  private static void requireS3(String command, String path) throws UnparseableCommandException {
    if (!isS3(path)) {
      throw new UnparseableCommandException("aws s3 " + command + " needs an s3:// path, got " + path);
    }
  }

  private static boolean isS3(String path) {
    return path.startsWith("s3://");
  }

  private static String stripScheme(String path) {
    return path.startsWith("s3://") ? path.substring(5) : path;
  }
}
