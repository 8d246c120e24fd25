package io.github.mcppolicyproxy.aws;

import io.github.mcppolicyproxy.aws.CliModel.Action;
import io.github.mcppolicyproxy.aws.CliModel.Command;
import io.github.mcppolicyproxy.aws.CliModel.Service;
import io.github.mcppolicyproxy.aws.CliModel.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A customization ({@code aws s3 cp}, {@code aws eks get-token}, ...) as {@link AwsCliParser} reads
 * it. A customization runs in awscli's own driver on the words the server hands it: the command
 * plus {@code --profile <server profile>} unless a word is exactly {@code --profile}. The server
 * first checks the words with the command's table (without the appended profile); both readings
 * must agree, or the command is refused.
 */
final class CustomizationReader {

  /** A customization's parser: an optional subcommand word. */
  private static final Table SUBCOMMAND = new Table(List.of(new Action(List.of(), "subcommand", "?", false)));

  private final AwsDefaults defaults;

  CustomizationReader(AwsDefaults defaults) {
    this.defaults = defaults;
  }

  /** Reads {@code aws <svc> <operation> ...} ({@code tokens}: the words after "aws"), a customization. */
  AwsCommand read(Service svc, String operation, List<String> tokens)
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
    ArgParse.Result global = ArgParse.parseKnown(CliArgs.cliGlobals(), run, "global options");
    Map<String, List<ArgParse.Occurrence>> globals = global.byDest();
    if (!service.equals(CliArgs.single(globals.get("command")))) {
      throw new UnparseableCommandException("the server and the CLI would read the service of this command differently");
    }
    List<String> rest = global.extras();
    if (svc.botocoreName().isPresent()) {
      ArgParse.Result sp = ArgParse.parseKnown(AwsCliParser.OPERATION,
          rest, "aws " + service);
      if (!operation.equals(CliArgs.single(sp.byDest().get("operation")))) {
        throw new UnparseableCommandException("the server and the CLI would read the operation of this command differently");
      }
      rest = sp.extras();
    } else {
      ArgParse.Result sp = ArgParse.parseKnown(SUBCOMMAND,
          rest, "aws " + service);
      if (!operation.equals(CliArgs.single(sp.byDest().get("subcommand")))) {
        throw new UnparseableCommandException("the server and the CLI would read the command after aws " + service + " differently");
      }
      rest = sp.extras();
    }
    Command command = svc.commands().get(operation);
    String name = operation;
    if (!command.subcommands().isEmpty() && CustomCommands.isNested(service, operation)) {
      Table withSub = CliArgs.withSubcommand(command.table());
      ArgParse.Result top = ArgParse.parseKnown(withSub, rest, "aws " + service + " " + operation);
      String sub = CliArgs.single(top.byDest().get("subcommand"));
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
    CliArgs.refuseExtras(args, where);
    Map<String, List<String>> params = new LinkedHashMap<>();
    List<String> positionals = new ArrayList<>();
    CliArgs.readParams(command.table(), args, params, positionals);
    checkServerReading(svc, operation, tokens, name, command, params, positionals);

    List<AwsOperation> ops = service.equals("s3")
        ? S3Commands.operations(operation, positionals, params.keySet())
        : CustomCommands.operations(service, name, params);
    Optional<String> region = CliArgs.explicitRegion(globals).or(defaults::customizationRegion);
    refuseOtherSourceRegion(service, params, region);
    Optional<String> profile = Optional.ofNullable(CliArgs.single(globals.get("profile"))).or(defaults::profile);
    return new AwsCommand(service, name, ops, region, profile, params, positionals, CliArgs.globalNames(globals),
        CliArgs.globalValues(globals));
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
    ArgParse.Result global = ArgParse.parseKnown(CliArgs.serverGlobals(), tokens, "global options");
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
    CliArgs.refuseExtras(args, "aws " + svc.cliName() + " " + name);
    Map<String, List<String>> serverParams = new LinkedHashMap<>();
    List<String> serverPositionals = new ArrayList<>();
    CliArgs.readParams(command.table(), args, serverParams, serverPositionals);
    if (!serverParams.equals(params) || !serverPositionals.equals(positionals)) {
      throw new UnparseableCommandException("the server would check other parameters than the AWS CLI runs for this command"
          + " (a \"--\" or an option before the operation?); write the options after the operation");
    }
  }
}
