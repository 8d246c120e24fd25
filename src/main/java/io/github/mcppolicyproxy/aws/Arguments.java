package io.github.mcppolicyproxy.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The words after the operation, read into parameters and positionals.
 *
 * @param params      parameter name (without dashes) to its values in order; flags map to []
 * @param positionals non-option words (only the s3 commands have them)
 * @param skeleton    whether {@code --generate-cli-skeleton} was given
 */
record Arguments(Map<String, List<String>> params, List<String> positionals, boolean skeleton) {

  private static final String CLI_INPUT_JSON = "cli-input-json";
  private static final String CLI_INPUT_YAML = "cli-input-yaml";
  private static final String SKELETON = "generate-cli-skeleton";

  /**
   * Arguments of an API operation (or a customization other than s3): every word after
   * {@code --name} up to the next option is one of its values, because without the service model
   * the number of values an option takes is unknown; a word that follows no option is refused.
   */
  static Arguments generic(String service, String operation, List<String> words) throws UnparseableCommandException {
    Map<String, List<String>> params = new LinkedHashMap<>();
    List<String> current = null;
    String inlineJson = null;
    boolean skeleton = false;
    for (String word : words) {
      if (!AwsCliParser.isOptionLike(word)) {
        if (current == null) {
          throw new UnparseableCommandException("unexpected argument \"" + word + "\" after aws " + service + " "
              + operation + ": parameters are written --name value");
        }
        current.add(word);
        continue;
      }
      OptionWord option = OptionWord.parameter(word);
      String name = option.name();
      if (params.containsKey(name)) {
        throw new UnparseableCommandException("parameter --" + name + " is given twice; give it once");
      }
      boolean json = CLI_INPUT_JSON.startsWith(name) && name.length() >= 5;
      boolean yaml = CLI_INPUT_YAML.startsWith(name) && name.length() >= 5;
      if (json && yaml && !name.equals(CLI_INPUT_JSON)) {
        throw new UnparseableCommandException("option --" + name + " could be --cli-input-json or --cli-input-yaml; write it in full");
      }
      if (yaml) {
        throw new UnparseableCommandException("--cli-input-yaml cannot be judged; pass the parameters as options or inline --cli-input-json");
      }
      if (SKELETON.startsWith(name) && name.length() >= "generate-c".length()) {
        skeleton = true;
      }
      List<String> values = new ArrayList<>();
      if (option.hasValue()) {
        values.add(option.value());
      }
      params.put(name, values);
      current = option.hasValue() ? null : values;
      if (json) {
        inlineJson = name;
      }
    }
    if (inlineJson != null) {
      mergeInputJson(inlineJson, params);
    }
    return new Arguments(params, List.of(), skeleton);
  }

  private static void mergeInputJson(String option, Map<String, List<String>> params) throws UnparseableCommandException {
    List<String> values = params.get(option);
    if (values.size() != 1) {
      throw new UnparseableCommandException("--cli-input-json takes exactly one value, got " + values.size());
    }
    String value = values.get(0);
    String lower = value.stripLeading().toLowerCase(java.util.Locale.ROOT);
    if (lower.startsWith("file://") || lower.startsWith("fileb://") || lower.startsWith("http://")
        || lower.startsWith("https://")) {
      throw new UnparseableCommandException("--cli-input-json " + value
          + ": parameters from a file cannot be judged; pass them inline or as options");
    }
    Map<String, List<String>> fromJson = CliInputJson.parameters(value);
    for (Map.Entry<String, List<String>> entry : fromJson.entrySet()) {
      String key = entry.getKey();
      for (String typed : params.keySet()) {
        if (!typed.equals(option) && key.startsWith(typed) && AwsCliParser.isValidOptionName(key)) {
          throw new UnparseableCommandException("parameter --" + key + " is given both on the command line (--"
              + typed + ") and in --cli-input-json; give it once");
        }
      }
    }
    fromJson.forEach(params::putIfAbsent);
  }

  /** Arguments of {@code aws s3 <command>}, read with that command's option table. */
  static Arguments s3(String command, List<String> words) throws UnparseableCommandException {
    if (!S3Commands.isKnown(command)) {
      throw new UnparseableCommandException("\"" + command + "\" is not an aws s3 command (cp, mv, sync, rm, ls, mb, rb, presign, website); "
          + "for API operations use aws s3api");
    }
    Map<String, S3Commands.Arity> table = S3Commands.options(command);
    Map<String, List<String>> params = new LinkedHashMap<>();
    List<String> positionals = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      if (!AwsCliParser.isOptionLike(word)) {
        positionals.add(word);
        continue;
      }
      OptionWord option = OptionWord.parameter(word);
      String name = resolve(command, table, option.name());
      S3Commands.Arity arity = table.get(name);
      List<String> values = params.computeIfAbsent(name, k -> new ArrayList<>());
      if (option.hasValue()) {
        if (arity == S3Commands.Arity.FLAG || arity == S3Commands.Arity.TWO) {
          throw new UnparseableCommandException("--" + name + " cannot take its value with '='");
        }
        values.add(option.value());
        continue;
      }
      int min = switch (arity) {
        case FLAG, OPTIONAL -> 0;
        case ONE, ONE_OR_MORE -> 1;
        case TWO -> 2;
      };
      int max = switch (arity) {
        case FLAG -> 0;
        case ONE, OPTIONAL -> 1;
        case TWO -> 2;
        case ONE_OR_MORE -> Integer.MAX_VALUE;
      };
      int taken = 0;
      while (taken < max && i + 1 < words.size() && !AwsCliParser.isOptionLike(words.get(i + 1))) {
        values.add(words.get(++i));
        taken++;
      }
      if (taken < min) {
        throw new UnparseableCommandException("--" + name + " of aws s3 " + command + " needs "
            + (min == 1 ? "a value" : min + " values"));
      }
    }
    return new Arguments(params, positionals, false);
  }

  private static String resolve(String command, Map<String, S3Commands.Arity> table, String typed)
      throws UnparseableCommandException {
    if (table.containsKey(typed)) {
      return typed;
    }
    List<String> candidates = table.keySet().stream().filter(n -> n.startsWith(typed)).sorted().toList();
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    if (candidates.isEmpty()) {
      throw new UnparseableCommandException("--" + typed + " is not an option of aws s3 " + command
          + "; an unknown option makes the paths impossible to tell apart");
    }
    throw new UnparseableCommandException("--" + typed + " is ambiguous for aws s3 " + command + ": it could be --"
        + String.join(", --", candidates));
  }
}
