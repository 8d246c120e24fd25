package io.github.mcppolicyproxy.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one {@code cli_command} string into what the AWS CLI would run, or into a precise reason
 * why it cannot be judged. Pure: no I/O, no environment reads (defaults are injected).
 *
 * <p>How the CLI reads a command line, and how this parser follows it (aws-cli 1.45, the version
 * the upstream server embeds): words are split as a shell would split one simple command (see
 * {@link ShellWords}); the first word is {@code aws}; global options are recognised anywhere, also
 * abbreviated (see {@link GlobalOptions}); then come the service, the operation and its
 * parameters. Decisions a policy engine must know:
 * <ul>
 *   <li>help ({@code aws help}, {@code aws s3 help}, any word {@code help} or {@code --help}) is
 *       Unparseable: help runs nothing against AWS, and the upstream treats any argument
 *       {@code help} as a request for help;</li>
 *   <li>{@code configure}, {@code history}, waiters ({@code aws ec2 wait ...}) and customizations
 *       that run local programs are Unparseable (see {@link CustomCommands});</li>
 *   <li>{@code --version} is Unparseable (it prints the version and runs nothing);</li>
 *   <li>{@code --generate-cli-skeleton} parses: the operation is still listed, and
 *       {@code globalOptions} contains {@code generate-cli-skeleton} so that a policy can allow it;</li>
 *   <li>the region is {@code --region}, else the region of an ARN argument when the upstream could
 *       use it (an ARN in another region than the default makes the command Unparseable, since the
 *       upstream uses it only for single-valued parameters), else the default; the upstream pins a
 *       few global services to one region, and so does this parser.</li>
 * </ul>
 */
public final class AwsCliParser {

  /** Longer commands are refused rather than parsed; far above any real command. */
  static final int MAX_CHARS = 1_000_000;

  private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
  /** Option names as typed: argparse also accepts prefixes such as {@code --cli-input-}. */
  private static final Pattern OPTION_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");
  private static final Pattern NEGATIVE_NUMBER = Pattern.compile("-[0-9]+|-[0-9]*\\.[0-9]+");
  /** A superset of the upstream's ARN_PATTERN (core/parser/parser.py); group 2 is the region. */
  private static final Pattern ARN = Pattern.compile(
      "arn:(aws|aws-cn|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-us-gov):[\\w-]+:([\\w-]*):.*",
      Pattern.UNICODE_CHARACTER_CLASS | Pattern.DOTALL);
  private static final String UNICODE_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D";

  private final AwsDefaults defaults;

  /** A parser that fills in {@code defaults} where a command names no region or profile. */
  public AwsCliParser(AwsDefaults defaults) {
    this.defaults = Objects.requireNonNull(defaults, "defaults");
  }

  /**
   * Parses one command. Never throws: any input, including {@code null}, yields a result; when in
   * doubt the result is {@link AwsParseResult.Unparseable} with a reason meant for the agent.
   */
  public AwsParseResult parse(String cliCommand) {
    if (cliCommand == null) {
      return new AwsParseResult.Unparseable("cli_command is missing");
    }
    try {
      return new AwsParseResult.Parsed(parseOrThrow(cliCommand));
    } catch (UnparseableCommandException e) {
      return new AwsParseResult.Unparseable(e.getMessage());
    } catch (RuntimeException e) {
      // The contract is "never throws": a bug here must refuse the command, not crash the proxy.
      return new AwsParseResult.Unparseable("the command could not be read (" + e.getClass().getSimpleName()
          + "); refusing rather than guessing");
    }
  }

  private AwsCommand parseOrThrow(String line) throws UnparseableCommandException {
    if (line.length() > MAX_CHARS) {
      throw new UnparseableCommandException("cli_command is " + line.length() + " characters long; the limit is " + MAX_CHARS);
    }
    if (line.isBlank()) {
      throw new UnparseableCommandException("cli_command is empty");
    }
    List<String> words = ShellWords.split(line);
    if (words.isEmpty()) {
      throw new UnparseableCommandException("cli_command is empty");
    }
    if (!words.get(0).equals("aws")) {
      throw new UnparseableCommandException("the command must start with the word \"aws\", not \"" + words.get(0) + "\"");
    }
    Globals globals = Globals.extract(words.subList(1, words.size()));
    List<String> rest = globals.rest();
    for (String word : rest) {
      if (word.equalsIgnoreCase("help") || word.equals("--help") || word.equals("-h")) {
        throw new UnparseableCommandException("help commands are not API calls: \"" + word
            + "\" asks the CLI for help, which the proxy does not forward; remove it to run the command");
      }
    }
    int at = 0;
    String service = commandWord(rest, at++, "a service", null);
    Optional<String> refusedService = CustomCommands.refusedService(service);
    if (refusedService.isPresent()) {
      throw new UnparseableCommandException(refusedService.get());
    }
    String operation = commandWord(rest, at++, "an operation", service);
    if (operation.equals("wait")) {
      throw new UnparseableCommandException("waiters (aws " + service
          + " wait ...) poll describe operations that cannot be named without the service model; call the describe operation instead");
    }
    Optional<String> refused = CustomCommands.refused(service, operation);
    if (refused.isPresent()) {
      throw new UnparseableCommandException(refused.get());
    }
    if (CustomCommands.isNested(service, operation)) {
      operation = operation + " " + commandWord(rest, at++, "a subcommand", service + " " + operation);
    }
    List<String> arguments = rest.subList(at, rest.size());
    Arguments args = service.equals("s3")
        ? Arguments.s3(operation, arguments)
        : Arguments.generic(service, operation, arguments);
    Map<String, List<String>> params = args.params();
    List<String> globalNames = new ArrayList<>(globals.names());
    if (args.skeleton()) {
      globalNames.add("generate-cli-skeleton");
    }
    List<AwsOperation> operations = operations(service, operation, args);
    boolean custom = service.equals("s3") || CustomCommands.operations(service, operation).isPresent();
    Optional<String> region = region(globals.values().get("region"), params);
    if (!custom && ServiceNames.fixedRegion(service).isPresent()) {
      region = ServiceNames.fixedRegion(service);
    }
    Optional<String> profile = Optional.ofNullable(globals.values().get("profile")).or(defaults::profile);
    return new AwsCommand(service, operation, operations, region, profile, params, args.positionals(),
        globalNames, globals.values());
  }

  private static List<AwsOperation> operations(String service, String operation, Arguments args)
      throws UnparseableCommandException {
    if (service.equals("s3")) {
      return S3Commands.operations(operation, args.positionals(), args.params().keySet());
    }
    Optional<List<AwsOperation>> custom = CustomCommands.operations(service, operation);
    if (custom.isPresent()) {
      List<AwsOperation> ops = new ArrayList<>(custom.get());
      if (service.equals("cloudformation") && operation.equals("deploy")) {
        if (args.params().containsKey("no-execute-changeset")) {
          ops.remove(new AwsOperation("cloudformation", "ExecuteChangeSet"));
        }
        if (args.params().containsKey("s3-bucket")) {
          ops.add(new AwsOperation("s3", "PutObject"));
        }
      }
      return ops;
    }
    return List.of(new AwsOperation(ServiceNames.iamPrefix(service), OperationNames.apiName(service, operation)));
  }

  private Optional<String> region(String explicit, Map<String, List<String>> params) throws UnparseableCommandException {
    if (explicit != null) {
      if (!REGION.matcher(explicit).matches()) {
        throw new UnparseableCommandException("--region \"" + explicit + "\" is not a region name such as us-east-1");
      }
      return Optional.of(explicit);
    }
    Map<String, String> arnRegions = new LinkedHashMap<>();
    params.forEach((name, values) -> {
      for (String value : values) {
        Matcher m = ARN.matcher(value);
        if (m.matches() && !m.group(2).isEmpty()) {
          arnRegions.putIfAbsent(m.group(2), name);
        }
      }
    });
    Optional<String> fallback = defaults.region();
    if (arnRegions.isEmpty() || (arnRegions.size() == 1 && fallback.isPresent()
        && arnRegions.containsKey(fallback.get()))) {
      return fallback;
    }
    Map.Entry<String, String> first = arnRegions.entrySet().iterator().next();
    throw new UnparseableCommandException("the region is ambiguous: no --region is given and --" + first.getValue()
        + " holds an ARN in " + first.getKey() + ", which the server may use instead of "
        + fallback.map(r -> "the default region " + r).orElse("its default region")
        + (arnRegions.size() > 1 ? " (ARNs name regions " + String.join(", ", arnRegions.keySet()) + ")" : "")
        + "; add --region");
  }

  /** The word at {@code index} as a service/operation/subcommand name. */
  private static String commandWord(List<String> rest, int index, String what, String after)
      throws UnparseableCommandException {
    String where = after == null ? "after \"aws\"" : "after \"" + after + "\"";
    if (index >= rest.size()) {
      throw new UnparseableCommandException("expected " + what + " " + where + ", found nothing");
    }
    String word = rest.get(index);
    if (isOptionLike(word)) {
      throw new UnparseableCommandException("option " + word + " appears " + where + " where " + what
          + " is expected; only global options may come before the operation");
    }
    if (!NAME.matcher(word).matches() && !(after == null && ServiceNames.isIrregularAlias(word))) {
      throw new UnparseableCommandException("\"" + word + "\" is not " + what + " name: the AWS CLI's names are "
          + "lowercase letters, digits and single dashes, and are case-sensitive");
    }
    return word;
  }

  /** Whether argparse would read {@code word} as an option rather than a value. */
  static boolean isOptionLike(String word) {
    return word.length() > 1 && word.charAt(0) == '-' && !NEGATIVE_NUMBER.matcher(word).matches()
        && !(word.startsWith("--") && word.indexOf(' ') >= 0);
  }

  /** Refuses a word that starts with a Unicode dash: it reads as an option but is not one. */
  static void refuseUnicodeDash(String word) throws UnparseableCommandException {
    if (!word.isEmpty() && UNICODE_DASHES.indexOf(word.charAt(0)) >= 0) {
      throw new UnparseableCommandException(String.format(
          "\"%s\" starts with the Unicode dash U+%04X, not \"--\"; the AWS CLI would not read it as an option",
          word, (int) word.charAt(0)));
    }
  }

  static boolean isValidOptionName(String name) {
    return OPTION_NAME.matcher(name).matches();
  }
}
