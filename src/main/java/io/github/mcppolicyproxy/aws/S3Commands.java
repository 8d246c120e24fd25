package io.github.mcppolicyproxy.aws;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The high-level {@code aws s3} commands: their options (so that positionals can be told from
 * option values) and the S3 API operations each performs.
 *
 * <p>Option tables: aws-cli 1.45 {@code awscli/customizations/s3/subcommands.py} (ARG_TABLE of
 * each command, TRANSFER_ARGS) and the sync strategies ({@code --delete}, {@code --exact-timestamps},
 * {@code --size-only}). An option not in the table makes the command unparseable, because its arity,
 * and therefore which words are the paths, would be a guess.
 */
final class S3Commands {

  /** How many words an option takes, as argparse's {@code nargs}. */
  enum Arity { FLAG, ONE, OPTIONAL, TWO, ONE_OR_MORE }

  private static final Map<String, Arity> TRANSFER = new HashMap<>();
  private static final Map<String, Map<String, Arity>> TABLES = new HashMap<>();
  /** Positional paths each command takes: {min, max}. */
  private static final Map<String, int[]> PATHS = Map.of(
      "ls", new int[] {0, 1}, "website", new int[] {1, 1}, "presign", new int[] {1, 1},
      "cp", new int[] {2, 2}, "mv", new int[] {2, 2}, "sync", new int[] {2, 2},
      "rm", new int[] {1, 1}, "mb", new int[] {1, 1}, "rb", new int[] {1, 1});

  static {
    for (String flag : List.of("dryrun", "quiet", "follow-symlinks", "no-follow-symlinks", "no-guess-mime-type",
        "only-show-errors", "no-progress", "ignore-glacier-warnings", "force-glacier-transfer")) {
      TRANSFER.put(flag, Arity.FLAG);
    }
    for (String one : List.of("include", "exclude", "acl", "sse-c-key", "sse-kms-key-id", "sse-c-copy-source-key",
        "storage-class", "website-redirect", "content-type", "cache-control", "content-disposition",
        "content-encoding", "content-language", "expires", "source-region", "page-size", "checksum-mode",
        "checksum-algorithm")) {
      TRANSFER.put(one, Arity.ONE);
    }
    for (String optional : List.of("sse", "sse-c", "sse-c-copy-source", "request-payer")) {
      TRANSFER.put(optional, Arity.OPTIONAL);
    }
    TRANSFER.put("grants", Arity.ONE_OR_MORE);

    Map<String, Arity> cp = new HashMap<>(TRANSFER);
    cp.putAll(Map.of("metadata", Arity.ONE, "metadata-directive", Arity.ONE, "expected-size", Arity.ONE,
        "recursive", Arity.FLAG, "case-conflict", Arity.ONE));
    Map<String, Arity> mv = new HashMap<>(TRANSFER);
    mv.putAll(Map.of("metadata", Arity.ONE, "metadata-directive", Arity.ONE, "recursive", Arity.FLAG,
        "validate-same-s3-paths", Arity.FLAG, "case-conflict", Arity.ONE));
    Map<String, Arity> sync = new HashMap<>(TRANSFER);
    sync.putAll(Map.of("metadata", Arity.ONE, "metadata-directive", Arity.ONE, "case-conflict", Arity.ONE,
        "delete", Arity.FLAG, "exact-timestamps", Arity.FLAG, "size-only", Arity.FLAG));
    TABLES.put("cp", cp);
    TABLES.put("mv", mv);
    TABLES.put("sync", sync);
    TABLES.put("rm", Map.of("dryrun", Arity.FLAG, "quiet", Arity.FLAG, "recursive", Arity.FLAG,
        "request-payer", Arity.OPTIONAL, "include", Arity.ONE, "exclude", Arity.ONE,
        "only-show-errors", Arity.FLAG, "page-size", Arity.ONE));
    TABLES.put("ls", Map.of("recursive", Arity.FLAG, "page-size", Arity.ONE, "human-readable", Arity.FLAG,
        "summarize", Arity.FLAG, "request-payer", Arity.OPTIONAL, "bucket-name-prefix", Arity.ONE,
        "bucket-region", Arity.ONE));
    TABLES.put("website", Map.of("index-document", Arity.ONE, "error-document", Arity.ONE));
    TABLES.put("presign", Map.of("expires-in", Arity.ONE));
    TABLES.put("mb", Map.of("tags", Arity.TWO));
    TABLES.put("rb", Map.of("force", Arity.FLAG));
  }

  private S3Commands() {
  }

  static boolean isKnown(String command) {
    return TABLES.containsKey(command);
  }

  static Map<String, Arity> options(String command) {
    return TABLES.get(command);
  }

  /**
   * The API operations of {@code aws s3 <command>} with these paths and options.
   *
   * @throws UnparseableCommandException when the paths do not fit the command
   */
  static List<AwsOperation> operations(String command, List<String> paths, Set<String> options)
      throws UnparseableCommandException {
    int[] range = PATHS.get(command);
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
