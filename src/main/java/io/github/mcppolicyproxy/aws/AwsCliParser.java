package io.github.mcppolicyproxy.aws;

import io.github.mcppolicyproxy.aws.CliModel.Action;
import io.github.mcppolicyproxy.aws.CliModel.Command;
import io.github.mcppolicyproxy.aws.CliModel.Service;
import io.github.mcppolicyproxy.aws.CliModel.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  private static final Pattern REGION = Pattern.compile("[a-z]{2,5}(-[a-z]+)+-[0-9]{1,2}");
  /** The upstream's ARN_PATTERN (core/parser/parser.py), restated; group 2 is the region. */
  private static final Pattern ARN = Pattern.compile(
      "(arn:(?:aws|aws-cn|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-us-gov):[\\w\\d-]+:([\\w\\d-]*):\\d{0,12}:"
          + "[\\w\\d-]*/?[\\w\\d-]*)(/.*)?.*", Pattern.UNICODE_CHARACTER_CLASS);
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
    List<String> tokens = words.subList(1, words.size());
    checkWords(tokens);

    ArgParse.Result global = ArgParse.parseKnown(serverGlobals(), tokens, "global options");
    Map<String, List<ArgParse.Occurrence>> globals = global.byDest();
    if (globals.containsKey("version")) {
      throw new UnparseableCommandException("--version prints the CLI version and runs no AWS operation");
    }
    String service = single(globals.get("command"));
    if (service == null) {
      throw new UnparseableCommandException("expected a service after \"aws\", found nothing");
    }
    Optional<String> refusedService = CustomCommands.refusedService(service);
    if (refusedService.isPresent()) {
      throw new UnparseableCommandException(refusedService.get());
    }
    Service svc = CliModel.get().service(service).orElseThrow(() -> new UnparseableCommandException(
        "\"" + service + "\" is not a service of the AWS CLI (names are lowercase and case-sensitive)"));
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
    return customization(svc, operation, tokens);
  }

  private AwsCommand apiOperation(Service svc, Command command, Map<String, List<ArgParse.Occurrence>> globals,
      List<String> remaining) throws UnparseableCommandException {
    String where = "aws " + svc.cliName() + " " + command.cliName();
    ArgParse.Result service = ArgParse.parseKnown(new Table(List.of(new Action(List.of(), "operation", "1", false))),
        remaining, "aws " + svc.cliName());
    ArgParse.Result args = ArgParse.parseKnownLeniently(command.table(), service.extras(), where);
    refuseExtras(serverIgnores(command.table(), args), where);
    Map<String, List<String>> params = new LinkedHashMap<>();
    List<String> positionals = new ArrayList<>();
    readParams(command.table(), args, params, positionals);
    List<String> globalNames = globalNames(globals);
    if (params.containsKey("generate-cli-skeleton")) {
      globalNames.add("generate-cli-skeleton");
    }
    String api = command.apiName().get();
    String botocore = svc.botocoreName().get();
    List<AwsOperation> ops = List.of(new AwsOperation(ServiceNames.iamPrefix(svc), api));
    Optional<String> region = explicitRegion(globals);
    if (region.isEmpty()) {
      region = arnRegion(command.table(), params).or(defaults::region);
    }
    Optional<String> fixed = ServiceNames.fixedRegion(botocore);
    if (fixed.isPresent()) {
      region = fixed;
    }
    Optional<String> profile = Optional.ofNullable(single(globals.get("profile"))).or(defaults::profile);
    return new AwsCommand(svc.cliName(), command.cliName(), ops, region, profile, params, positionals,
        globalNames, globalValues(globals));
  }

  /**
   * A customization runs in awscli's own driver on the words the server hands it: the command
   * plus {@code --profile <server profile>} unless a word is exactly {@code --profile}. The server
   * first checks the words with the command's table (without the appended profile); both readings
   * must agree, or the command is refused.
   */
  private AwsCommand customization(Service svc, String operation, List<String> tokens)
      throws UnparseableCommandException {
    String service = svc.cliName();
    if (!CustomCommands.isRunByServer(service, operation)) {
      throw new UnparseableCommandException("aws " + service + " " + operation
          + " is an AWS CLI customization the server does not run");
    }
    List<String> run = new ArrayList<>(tokens);
    Optional<String> appended = defaults.serverProfile().filter(p -> !tokens.contains("--profile"));
    appended.ifPresent(p -> {
      run.add("--profile");
      run.add(p);
    });
    ArgParse.Result global = ArgParse.parseKnown(cliGlobals(), run, "global options");
    Map<String, List<ArgParse.Occurrence>> globals = global.byDest();
    if (!service.equals(single(globals.get("command")))) {
      throw new UnparseableCommandException("the server and the CLI would read the service of this command differently");
    }
    List<String> rest = global.extras();
    if (svc.botocoreName().isPresent()) {
      ArgParse.Result sp = ArgParse.parseKnown(new Table(List.of(new Action(List.of(), "operation", "1", false))),
          rest, "aws " + service);
      if (!operation.equals(single(sp.byDest().get("operation")))) {
        throw new UnparseableCommandException("the server and the CLI would read the operation of this command differently");
      }
      rest = sp.extras();
    } else {
      ArgParse.Result sp = ArgParse.parseKnown(new Table(List.of(new Action(List.of(), "subcommand", "?", false))),
          rest, "aws " + service);
      if (!operation.equals(single(sp.byDest().get("subcommand")))) {
        throw new UnparseableCommandException("the server and the CLI would read the command after aws " + service + " differently");
      }
      rest = sp.extras();
    }
    Command command = svc.commands().get(operation);
    String name = operation;
    if (!command.subcommands().isEmpty() && CustomCommands.isNested(service, operation)) {
      Table withSub = withSubcommand(command.table());
      ArgParse.Result top = ArgParse.parseKnown(withSub, rest, "aws " + service + " " + operation);
      String sub = single(top.byDest().get("subcommand"));
      Command subcommand = sub == null ? null : command.subcommands().get(sub);
      if (subcommand == null) {
        throw new UnparseableCommandException("aws " + service + " " + operation + " needs a subcommand: one of "
            + String.join(", ", command.subcommands().keySet()));
      }
      name = operation + " " + sub;
      command = subcommand;
      rest = top.extras();
    }
    String where = "aws " + service + " " + name;
    ArgParse.Result args = ArgParse.parseKnown(command.table(), rest, where);
    refuseExtras(args, where);
    Map<String, List<String>> params = new LinkedHashMap<>();
    List<String> positionals = new ArrayList<>();
    readParams(command.table(), args, params, positionals);
    checkServerReading(svc, operation, tokens, name, command, params, positionals);

    List<AwsOperation> ops = service.equals("s3")
        ? S3Commands.operations(operation, positionals, params.keySet())
        : CustomCommands.operations(service, name, params);
    Optional<String> region = explicitRegion(globals).or(defaults::customizationRegion);
    refuseOtherSourceRegion(service, params, region);
    Optional<String> profile = Optional.ofNullable(single(globals.get("profile"))).or(defaults::profile);
    return new AwsCommand(service, name, ops, region, profile, params, positionals, globalNames(globals),
        globalValues(globals));
  }

  /**
   * {@code aws s3 cp|mv|sync --source-region X} reads the source in X while the rest runs in the
   * command's region: the proxy judges one region per command, so another source region is refused.
   */
  private static void refuseOtherSourceRegion(String service, Map<String, List<String>> params,
      Optional<String> region) throws UnparseableCommandException {
    List<String> source = params.getOrDefault("--source-region", params.get("source-region"));
    if (!service.equals("s3") || source == null || source.isEmpty()) {
      return;
    }
    String wanted = source.get(source.size() - 1);
    if (region.isEmpty() || !region.get().equalsIgnoreCase(wanted)) {
      throw new UnparseableCommandException("--source-region " + wanted + " reads the source in another region than"
          + " the command's (" + region.orElse("none given") + "), and the proxy judges one region per command;"
          + " give --region " + wanted + " for the read, or copy in two commands");
    }
  }

  /** The server's own check of a customization's words: same table, no appended profile. */
  private void checkServerReading(Service svc, String operation, List<String> tokens, String name, Command command,
      Map<String, List<String>> params, List<String> positionals) throws UnparseableCommandException {
    ArgParse.Result global = ArgParse.parseKnown(serverGlobals(), tokens, "global options");
    List<String> remaining = global.extras();
    boolean nested = !name.equals(operation);
    if (!nested && !svc.commands().get(operation).subcommands().isEmpty() && remaining.size() > 1
        && !remaining.get(1).startsWith("--")) {
      throw new UnparseableCommandException("\"" + remaining.get(1) + "\" after aws " + svc.cliName() + " " + operation
          + " would be read as a subcommand by the server; write the options first");
    }
    if (nested && (remaining.size() < 2 || !name.equals(operation + " " + remaining.get(1)))) {
      throw new UnparseableCommandException("write aws " + svc.cliName() + " " + name + " with the subcommand right after "
          + operation);
    }
    List<String> own = remaining.subList(nested ? 2 : 1, remaining.size());
    ArgParse.Result args = ArgParse.parseKnown(command.table(), own, "aws " + svc.cliName() + " " + name);
    refuseExtras(args, "aws " + svc.cliName() + " " + name);
    Map<String, List<String>> serverParams = new LinkedHashMap<>();
    List<String> serverPositionals = new ArrayList<>();
    readParams(command.table(), args, serverParams, serverPositionals);
    if (!serverParams.equals(params) || !serverPositionals.equals(positionals)) {
      throw new UnparseableCommandException("the server would check other parameters than the AWS CLI runs for this command"
          + " (a \"--\" or an option before the operation?); write the options after the operation");
    }
  }

  private static Table withSubcommand(Table table) {
    List<Action> actions = new ArrayList<>();
    for (Action a : table.actions()) {
      if (!(a.positional() && a.dest().equals("subcommand"))) {
        actions.add(a);
      }
    }
    actions.add(new Action(List.of(), "subcommand", "?", false));
    return new Table(actions);
  }

  /** Parameters by their CLI name (the first option string), as the parsed namespace holds them. */
  private static void readParams(Table table, ArgParse.Result args, Map<String, List<String>> params,
      List<String> positionals) throws UnparseableCommandException {
    for (Map.Entry<String, List<ArgParse.Occurrence>> e : args.byDest().entrySet()) {
      List<ArgParse.Occurrence> occurrences = e.getValue();
      Action last = occurrences.get(occurrences.size() - 1).action();
      if (last.positional()) {
        if (!last.dest().equals("subcommand")) {
          occurrences.forEach(o -> positionals.addAll(o.values()));
        } else if (occurrences.stream().anyMatch(o -> !o.values().isEmpty())) {
          throw new UnparseableCommandException("\"" + occurrences.get(0).values().get(0)
              + "\" would be read as a subcommand; this command is not run with subcommands by the server");
        }
        continue;
      }
      // --x and --no-x share a dest: the last one is the value, the other name is absent
      removeTwins(table, last, params);
      if (last.appends()) {
        // include and exclude share one dest: each keeps its own values, in order
        occurrences.forEach(o -> params.computeIfAbsent(o.action().name(), k -> new ArrayList<>()).addAll(o.values()));
        continue;
      }
      params.put(last.name(), new ArrayList<>(occurrences.get(occurrences.size() - 1).values()));
    }
  }

  private static void removeTwins(Table table, Action winner, Map<String, List<String>> params) {
    if (winner.flag()) {
      table.actions().stream().filter(a -> a != winner && a.flag() && a.dest().equals(winner.dest()))
          .forEach(a -> params.remove(a.name()));
    }
  }

  /**
   * The server drops leftover words that start with '-' and begin some option of the operation
   * ({@code --}, {@code -}, an ambiguous prefix, also with its {@code =value}): they change nothing
   * it runs. Every other leftover makes it refuse the command.
   */
  private static ArgParse.Result serverIgnores(Table table, ArgParse.Result args) {
    List<String> kept = new ArrayList<>();
    for (String extra : args.extras()) {
      boolean ignored = extra.startsWith("-") && table.actions().stream()
          .anyMatch(a -> a.options().stream().anyMatch(o -> ("--" + o).startsWith(extra)));
      if (!ignored) {
        kept.add(extra);
      }
    }
    return new ArgParse.Result(args.occurrences(), kept);
  }

  private static void refuseExtras(ArgParse.Result args, String where) throws UnparseableCommandException {
    if (!args.extras().isEmpty()) {
      String first = args.extras().get(0);
      throw new UnparseableCommandException((first.startsWith("-") ? "unknown option " : "unexpected argument ")
          + "\"" + first + "\" for " + where + (first.startsWith("-") ? "" : ": parameters are written --name value"));
    }
  }

  private static void checkWords(List<String> tokens) throws UnparseableCommandException {
    boolean dashes = false;
    for (String word : tokens) {
      if (word.equalsIgnoreCase("help") || word.equalsIgnoreCase("--help") || word.equals("-h")) {
        throw new UnparseableCommandException("help commands are not API calls: \"" + word
            + "\" asks the CLI for help, which the proxy does not forward; remove it to run the command");
      }
      if (!word.isEmpty() && UNICODE_DASHES.indexOf(word.charAt(0)) >= 0) {
        throw new UnparseableCommandException(String.format(
            "\"%s\" starts with the Unicode dash U+%04X, not \"--\"; the AWS CLI would not read it as an option",
            word, (int) word.charAt(0)));
      }
      if (dashes && word.startsWith("-") && word.length() > 1) {
        throw new UnparseableCommandException("\"" + word + "\" after \"--\": Python versions read options after \"--\""
            + " differently; put the options before \"--\"");
      }
      if (word.equals("--")) {
        dashes = true;
      }
      String name = word.indexOf('=') >= 0 ? word.substring(0, word.indexOf('=')) : word;
      if (name.length() >= 4 && "--version".startsWith(name)) {
        throw new UnparseableCommandException("--version prints the CLI version and runs no AWS operation");
      }
    }
  }

  /** The server's global parser: the CLI's, with {@code --version} taking a value and {@code command}. */
  private Table serverGlobals() {
    List<Action> actions = new ArrayList<>();
    for (Action a : CliModel.get().globals().actions()) {
      actions.add(a.kind().equals("V") ? new Action(a.options(), a.dest(), "1", false) : a);
    }
    actions.add(new Action(List.of(), "command", "1", false));
    return new Table(actions);
  }

  /** awscli's own main parser (it runs customizations). */
  private Table cliGlobals() {
    List<Action> actions = new ArrayList<>(CliModel.get().globals().actions());
    actions.add(new Action(List.of(), "command", "1", false));
    return new Table(actions);
  }

  private static List<String> globalNames(Map<String, List<ArgParse.Occurrence>> globals) {
    List<String> names = new ArrayList<>();
    for (List<ArgParse.Occurrence> occurrences : globals.values()) {
      Action a = occurrences.get(0).action();
      if (!a.positional()) {
        for (ArgParse.Occurrence o : occurrences) {
          String typed = o.optionString().substring(2);
          names.add(a.options().contains(typed) ? typed : a.name());
        }
      }
    }
    return new ArrayList<>(names.stream().distinct().toList());
  }

  private static Map<String, String> globalValues(Map<String, List<ArgParse.Occurrence>> globals) {
    Map<String, String> values = new LinkedHashMap<>();
    for (List<ArgParse.Occurrence> occurrences : globals.values()) {
      ArgParse.Occurrence last = occurrences.get(occurrences.size() - 1);
      if (!last.action().positional() && !last.action().flag() && last.values().size() == 1) {
        values.put(last.action().name(), last.values().get(0));
      }
    }
    return values;
  }

  private static Optional<String> explicitRegion(Map<String, List<ArgParse.Occurrence>> globals)
      throws UnparseableCommandException {
    String value = single(globals.get("region"));
    if (value == null) {
      return Optional.empty();
    }
    String lower = value.toLowerCase(Locale.ROOT);
    if (!REGION.matcher(lower).matches() || !value.chars().allMatch(c -> c < 128)) {
      throw new UnparseableCommandException("--region \"" + value + "\" is not a region name such as us-east-1");
    }
    return Optional.of(lower);
  }

  /**
   * The region of the first single-valued parameter (in the operation's table order, as the server
   * iterates its parameters) that holds an ARN with a region. Lists are skipped by the server; a
   * structure written as one word may be too, so when single-valued ARNs disagree the command is
   * refused.
   */
  private static Optional<String> arnRegion(Table table, Map<String, List<String>> params)
      throws UnparseableCommandException {
    Map<String, String> regions = new LinkedHashMap<>();
    for (Action a : table.actions()) {
      List<String> values = a.positional() || a.appends() ? null : params.get(a.name());
      if (values == null || values.size() != 1 || !(a.kind().equals("1") || a.kind().equals("?"))) {
        continue;
      }
      Matcher m = ARN.matcher(values.get(0));
      if (m.matches() && !m.group(2).isEmpty()) {
        regions.putIfAbsent(m.group(2), a.name());
      }
    }
    if (regions.size() > 1) {
      throw new UnparseableCommandException("the region is ambiguous: no --region is given and ARNs name regions "
          + String.join(", ", regions.keySet()) + ", one of which the server uses; add --region");
    }
    return regions.keySet().stream().findFirst();
  }

  /** The value of a single-valued dest (the last occurrence), or null when absent or empty. */
  private static String single(List<ArgParse.Occurrence> occurrences) {
    if (occurrences == null || occurrences.isEmpty()) {
      return null;
    }
    List<String> values = occurrences.get(occurrences.size() - 1).values();
    return values.isEmpty() ? null : values.get(values.size() - 1);
  }
}
