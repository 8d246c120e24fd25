package io.github.mcppolicyproxy.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The first pass over the words after {@code aws}, as the CLI's main argparse parser makes it:
 * global options are taken out wherever they are (with their values), everything else is left in
 * order for the service, the operation and its parameters.
 *
 * @param names  global options seen, in order, without dashes
 * @param values the value of each global option that takes one
 * @param rest   the other words, in order
 */
record Globals(List<String> names, Map<String, String> values, List<String> rest) {

  static Globals extract(List<String> words) throws UnparseableCommandException {
    List<String> names = new ArrayList<>();
    Map<String, String> values = new LinkedHashMap<>();
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      AwsCliParser.refuseUnicodeDash(word);
      if (word.equals("--")) {
        throw new UnparseableCommandException("\"--\" (end of options) is not supported in a cli_command");
      }
      if (!word.startsWith("--")) {
        rest.add(word);
        continue;
      }
      OptionWord option = OptionWord.split(word);
      String typed = option.name();
      Optional<String> global = GlobalOptions.resolve(typed);
      if (global.isEmpty()) {
        if (word.indexOf(' ') < 0 && !AwsCliParser.isValidOptionName(typed)) {
          throw new UnparseableCommandException("\"" + word + "\" is not a valid option: AWS CLI options are "
              + "-- followed by lowercase letters, digits and dashes");
        }
        rest.add(word);
        continue;
      }
      String name = global.get();
      if (name.equals("version")) {
        throw new UnparseableCommandException("--version prints the CLI version and runs no AWS operation");
      }
      if (GlobalOptions.arity(name) == GlobalOptions.Arity.FLAG) {
        if (option.hasValue()) {
          throw new UnparseableCommandException("global option --" + name + " takes no value, got \"" + word + "\"");
        }
        if (!names.contains(name)) {
          names.add(name);
        }
        continue;
      }
      String value;
      if (option.hasValue()) {
        value = option.value();
      } else if (i + 1 < words.size() && !AwsCliParser.isOptionLike(words.get(i + 1))) {
        value = words.get(++i);
      } else {
        throw new UnparseableCommandException("global option --" + name + " needs a value");
      }
      if (values.containsKey(name)) {
        throw new UnparseableCommandException("global option --" + name + " is given twice (\""
            + values.get(name) + "\" and \"" + value + "\"); give it once");
      }
      names.add(name);
      values.put(name, value);
    }
    return new Globals(names, values, rest);
  }
}
