package io.github.mcppolicyproxy.aws;

import io.github.mcppolicyproxy.aws.CliModel.Action;
import io.github.mcppolicyproxy.aws.CliModel.Command;
import io.github.mcppolicyproxy.aws.CliModel.Service;
import io.github.mcppolicyproxy.aws.CliModel.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns one {@code cli_command} string into what the upstream server (awslabs aws-api-mcp-server)
 * would run, or into a precise reason why it cannot be judged. Pure: no I/O, no environment reads
 * (defaults are injected).
 *
 * <p>The server splits the words with {@code shlex} (we split as strictly as a shell, see
 * {@link ShellWords}), reads the global options with awscli's main argparse parser over all words
 * (abbreviations, {@code --x=value}, the last occurrence wins), takes the word after them as the
 * operation and reads its parameters with the operation's argparse table. This parser does the
 * same with the same tables, taken from awscli 1.x and botocore (see {@link CliModel}) and an
 * emulation of argparse (see {@link ArgParse}). What follows from the server:
 * <ul>
 *   <li>an API operation runs with the server's reading of the parameters; {@code --cli-input-json}
 *       and {@code --generate-cli-skeleton} are ignored by it (the operation runs, and parameters
 *       inside the JSON are never sent), so they are reported as plain parameters, never merged;</li>
 *   <li>a customization ({@code aws s3 ...}, {@code aws eks get-token}) runs in awscli's own driver,
 *       after the server appended {@code --profile <its profile>} unless a word is exactly
 *       {@code --profile}; its region comes from {@code --region} or {@code AWS_DEFAULT_REGION};
 *       its API calls for the options given are listed by {@link CustomCommands};</li>
 *   <li>help ({@code help}, {@code --help} anywhere), {@code --version}, {@code configure},
 *       {@code history}, waiters and customizations the server does not run are Unparseable;</li>
 *   <li>the region is the last {@code --region} (lower-cased), else the region of an ARN parameter
 *       when the server could use it, else the default; the server pins a few global services to one
 *       region, and so does this parser. {@code --region *} is expanded by
 *       {@link AwsCommandInspector}, as the server does, before this parser sees the command.</li>
 * </ul>
 */
public final class AwsCliParser {

  /** Longer commands are refused rather than parsed; far above any real command. */
  static final int MAX_CHARS = 1_000_000;


  /** A service's parser: the operation word. */
  static final Table OPERATION = new Table(List.of(new Action(List.of(), "operation", "1", false)));

  /** How many command texts the memo keeps at most (a power of two): one per slot. */
  static final int MEMO_ENTRIES = 256;
  /** Longer texts are parsed each time: with {@link #MEMO_ENTRIES}, the memo holds at most 128 Ki characters of text. */
  static final int MEMO_TEXT_CHARS = 512;

  private final AwsDefaults defaults;
  private final CustomizationReader customizations;

  /** A remembered parse: the exact text and its result. */
  private record Remembered(String text, AwsParseResult result) {}

  /**
   * The results of recent command texts, by their exact text (agents repeat commands), one per
   * slot chosen by the text's hash; a new text takes its slot over. A parse is a pure function of
   * the text and of this parser's defaults, which are fixed: the model and the tables are
   * constants and nothing is read from outside. So a remembered result is the result a new parse
   * would give, and it is immutable ({@link AwsCommand} copies into unmodifiable collections), so
   * callers can share it. Threads may race on a slot: each slot holds a whole immutable record
   * (final fields, so never seen half made), and a lost race only costs a parse. Against the
   * concurrent map of before, a miss allocates less (no map entry, no resizing, no emptying when
   * full); its time was the same within this machine's noise.
   */
  private final Remembered[] memo = new Remembered[MEMO_ENTRIES];

  /** A parser that fills in {@code defaults} where a command names no region or profile. */
  public AwsCliParser(AwsDefaults defaults) {
    this.defaults = Objects.requireNonNull(defaults, "defaults");
    this.customizations = new CustomizationReader(defaults);
  }

  /**
   * Parses one command. Never throws: any input, including {@code null}, yields a result; when in
   * doubt the result is {@link AwsParseResult.Unparseable} with a reason meant for the agent.
   */
  public AwsParseResult parse(String cliCommand) {
    if (cliCommand == null) {
      return new AwsParseResult.Unparseable("cli_command is missing");
    }
    if (cliCommand.length() > MEMO_TEXT_CHARS) {
      return parseNew(cliCommand);
    }
    int h = cliCommand.hashCode();
    int slot = (h ^ (h >>> 16)) & (MEMO_ENTRIES - 1);
    Remembered known = memo[slot];
    if (known != null && known.text().equals(cliCommand)) {
      return known.result();
    }
    AwsParseResult result = parseNew(cliCommand);
    memo[slot] = new Remembered(cliCommand, result);
    return result;
  }

  /** How many texts the memo holds now; for tests. */
  int memoSize() {
    int n = 0;
    for (Remembered r : memo) {
      if (r != null) {
        n++;
      }
    }
    return n;
  }

  private AwsParseResult parseNew(String cliCommand) {
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
    List<String> tokens = words.subList(1, words.size());
    CliArgs.checkWords(tokens);

    ArgParse.Result global = ArgParse.parseKnown(CliArgs.serverGlobals(), tokens, "global options");
    Map<String, List<ArgParse.Occurrence>> globals = global.byDest();
    if (globals.containsKey("version")) {
      throw new UnparseableCommandException("--version prints the CLI version and runs no AWS operation");
    }
    String service = CliArgs.single(globals.get("command"));
    if (service == null) {
      throw new UnparseableCommandException("expected a service after \"aws\", found nothing");
    }
    Optional<String> refusedService = CustomCommands.refusedService(service);
    if (refusedService.isPresent()) {
      throw new UnparseableCommandException(refusedService.get());
    }
    Service svc = CliModel.get().services().get(service);
    if (svc == null) {
      throw new UnparseableCommandException(
          "\"" + service + "\" is not a service of the AWS CLI (names are lowercase and case-sensitive)");
    }
    boolean apiService = svc.botocoreName().isPresent();
    if (!apiService && !tokens.get(0).equals(service)) {
      throw new UnparseableCommandException("aws " + service + " must come right after \"aws\"; put global options after it");
    }
    List<String> remaining = global.extras();
    if (remaining.isEmpty()) {
      throw new UnparseableCommandException("expected an operation after \"aws " + service + "\", found nothing");
    }
    String operation = remaining.get(0);
    Command command = svc.commands().get(operation);
    if (command == null) {
      throw new UnparseableCommandException(operation.startsWith("-")
          ? "option " + operation + " appears after \"aws " + service + "\" where an operation is expected; only global options may come before the operation"
          : "\"" + operation + "\" is not an operation of aws " + service);
    }
    if (operation.equals("wait")) {
      throw new UnparseableCommandException("waiters (aws " + service
          + " wait ...) are not run by the server; call the describe operation instead");
    }
    Optional<String> refused = CustomCommands.refused(service, operation);
    if (refused.isPresent()) {
      throw new UnparseableCommandException(refused.get());
    }
    if (command.apiName().isPresent()) {
      return apiOperation(svc, command, globals, remaining);
    }
    return customizations.read(svc, operation, tokens);
  }

  private AwsCommand apiOperation(Service svc, Command command, Map<String, List<ArgParse.Occurrence>> globals,
      List<String> remaining) throws UnparseableCommandException {
    ApiCall call = command.table().apiCall(svc, command);
    String where = call.where();
    ArgParse.Result args = ArgParse.parseKnownLeniently(command.table(), afterOperation(remaining), where);
    CliArgs.refuseExtras(CliArgs.serverIgnores(command.table(), args), where);
    Map<String, List<String>> params = new LinkedHashMap<>();
    List<String> positionals = new ArrayList<>();
    CliArgs.readParams(command.table(), args, params, positionals);
    List<String> globalNames = CliArgs.globalNames(globals);
    if (params.containsKey("generate-cli-skeleton")) {
      globalNames.add("generate-cli-skeleton");
    }
    Optional<String> region = CliArgs.explicitRegion(globals);
    if (region.isEmpty()) {
      region = CliArgs.arnRegion(command.table(), params);
      if (region.isEmpty()) {
        region = defaults.region();
      }
    }
    if (call.fixedRegion().isPresent()) {
      region = call.fixedRegion();
    }
    // no bound method references here: under the launcher's C1 each one made per command costs a
    // trip through the method-handle runtime (measured with async-profiler; C2 hides it)
    String profileGiven = CliArgs.single(globals.get("profile"));
    Optional<String> profile = profileGiven != null ? Optional.of(profileGiven) : defaults.profile();
    return new AwsCommand(svc.cliName(), command.cliName(), call.operations(), region, profile, params, positionals,
        globalNames, CliArgs.globalValues(globals));
  }

  /**
   * What the server's service parser (one positional, the operation) leaves of the words after the
   * global options: argparse's {@code parse_known_args} gives the operation the first word and
   * returns the others in order. The first word names an operation of the model, so it is never
   * read as an option; its pattern {@code -*A-*} also swallows a {@code --} right after it, which
   * only the full pass reproduces (so that case takes it). {@code AfterOperationTest} holds the
   * shortcut to the full pass.
   */
  static List<String> afterOperation(List<String> remaining) throws UnparseableCommandException {
    if (remaining.size() < 2 || !remaining.get(1).equals("--")) {
      return remaining.subList(1, remaining.size());
    }
    return ArgParse.parseKnown(OPERATION, remaining, "aws").extras();
  }

  /**
   * What an API command's reading needs of its service and operation, the same for every command
   * text, so made once per operation (kept by its {@link Table}): the parser's name in refusals,
   * the operation (its checks of the IAM shapes run once) and the region the server pins it to.
   */
  record ApiCall(String where, List<AwsOperation> operations, Optional<String> fixedRegion) {
    static ApiCall of(Service svc, Command command) {
      return new ApiCall("aws " + svc.cliName() + " " + command.cliName(),
          List.of(new AwsOperation(ServiceNames.iamPrefix(svc), command.apiName().orElseThrow())),
          ServiceNames.fixedRegion(svc.botocoreName().orElseThrow()));
    }
  }
}
