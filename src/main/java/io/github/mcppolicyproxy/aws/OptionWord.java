package io.github.mcppolicyproxy.aws;

/**
 * One {@code --name} or {@code --name=value} word of a command line, split as the AWS CLI's
 * argparse splits it: at the first {@code =}.
 *
 * @param name the option's name as typed, without the leading dashes
 * @param value the value written after {@code =}, or null when the word has none
 */
record OptionWord(String name, String value) {

  /** Splits {@code word}, which starts with {@code --}. */
  static OptionWord split(String word) {
    String body = word.substring(2);
    int eq = body.indexOf('=');
    return eq < 0 ? new OptionWord(body, null)
        : new OptionWord(body.substring(0, eq), body.substring(eq + 1));
  }

  /** Splits an option word after an operation, which must be a long option. */
  static OptionWord parameter(String word) throws UnparseableCommandException {
    if (!word.startsWith("--")) {
      throw new UnparseableCommandException(
          "\"" + word + "\" is not an AWS CLI option (options start with --)");
    }
    return split(word);
  }

  boolean hasValue() {
    return value != null;
  }
}
