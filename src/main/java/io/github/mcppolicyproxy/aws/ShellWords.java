package io.github.mcppolicyproxy.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits a command line into words the way a POSIX shell would for one simple command, refusing
 * everything that would make the shell and the upstream read it differently.
 *
 * <p>The upstream (awslabs aws-api-mcp-server, core/parser/lexer.py) runs no shell: it calls
 * Python's {@code shlex.split} and then refuses the standalone tokens {@code && || = *= /= %= += -=
 * <<= >>= &= ^= |=} and any first word other than {@code aws}. Because {@code shlex} treats
 * {@code ; | & > <} as ordinary characters, {@code aws s3 ls | grep foo} reaches its argument
 * parser as five words. We are stricter: whatever a shell would treat as an operator, a comment or
 * an expansion is refused, so that the words we judge are the words any reader would see. In
 * particular {@code "\$"} is refused: a shell reads it as {@code $}, {@code shlex} as {@code \$}.
 * Glob characters ({@code * ? [ ]}), braces and {@code ~} are kept literally, as the upstream keeps
 * them (it runs no shell, so nothing expands them).
 */
final class ShellWords {

  /** Tokens the upstream refuses even when quoted; refusing them too keeps us at least as strict. */
  private static final Set<String> UPSTREAM_PROHIBITED = Set.of(
      "&&", "||", "=", "*=", "/=", "%=", "+=", "-=", "<<=", ">>=", "&=", "^=", "|=");

  /** ASCII characters with a meaning outside quotes (and the space, which separates words). */
  private static final String SPECIAL = " \t'\"\\;|&<>()`$#";
  private static final boolean[] PLAIN_ASCII = new boolean[128];

  static {
    for (char c = 0x21; c < 0x7f; c++) {
      PLAIN_ASCII[c] = SPECIAL.indexOf(c) < 0;
    }
  }

  private ShellWords() {
  }

  /** A character taken literally outside quotes: no operator, quote, escape, blank or control character. */
  private static boolean isPlain(char c) {
    return c < 128 ? PLAIN_ASCII[c] : true;
  }

  /**
   * The words of {@code line}.
   *
   * @throws UnparseableCommandException naming the character (1-based) that cannot be accepted
   */
  static List<String> split(String line) throws UnparseableCommandException {
    List<String> words = new ArrayList<>(16);
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    int n = line.length();
    while (i < n) {
      char c = line.charAt(i);
      int at = i + 1;
      refuseControl(c, at, "");
      switch (c) {
        case ' ', '\t' -> {
          if (inWord) {
            finish(words, word);
            inWord = false;
          }
          i++;
        }
        case '\'' -> {
          int close = line.indexOf('\'', i + 1);
          if (close < 0) {
            throw new UnparseableCommandException("unterminated single quote opened at character " + at);
          }
          for (int j = i + 1; j < close; j++) {
            refuseControl(line.charAt(j), j + 1, " inside single quotes");
          }
          word.append(line, i + 1, close);
          inWord = true;
          i = close + 1;
        }
        case '"' -> {
          i = doubleQuoted(line, i, word);
          inWord = true;
        }
        case '\\' -> {
          if (i + 1 >= n) {
            throw new UnparseableCommandException("trailing backslash at character " + at + " escapes nothing");
          }
          char next = line.charAt(i + 1);
          refuseControl(next, at + 1, " after a backslash");
          word.append(next);
          inWord = true;
          i += 2;
        }
        case ';', '|', '&', '<', '>', '(', ')' -> throw new UnparseableCommandException(
            "shell operator '" + c + "' at character " + at
                + " is not allowed: a cli_command must be a single aws command (quote it if it is part of a value)");
        case '`' -> throw new UnparseableCommandException(
            "backtick at character " + at + " would run a command substitution");
        case '$' -> throw new UnparseableCommandException(
            "'$' at character " + at + " would be expanded by a shell; put the value in single quotes");
        case '#' -> {
          if (!inWord) {
            throw new UnparseableCommandException(
                "'#' at character " + at + " starts a shell comment; quote it if it is part of a value");
          }
          word.append(c);
          i++;
        }
        default -> {
          // a run of plain characters is taken at once; the character that ends it is read next
          int end = i + 1;
          while (end < n && isPlain(line.charAt(end))) {
            end++;
          }
          if (!inWord && (end == n || line.charAt(end) == ' ' || line.charAt(end) == '\t')) {
            words.add(line.substring(i, end)); // a whole word of plain characters
            i = end;
            continue;
          }
          word.append(line, i, end);
          inWord = true;
          i = end;
        }
      }
    }
    if (inWord) {
      finish(words, word);
    }
    for (String w : words) {
      if (w.length() <= 3 && UPSTREAM_PROHIBITED.contains(w)) {
        throw new UnparseableCommandException("the word \"" + w + "\" is a shell operator the server refuses");
      }
    }
    return words;
  }

  /** Reads a double-quoted part starting at {@code open}; returns the index after the closing quote. */
  private static int doubleQuoted(String line, int open, StringBuilder word) throws UnparseableCommandException {
    int n = line.length();
    int i = open + 1;
    while (i < n) {
      char c = line.charAt(i);
      int at = i + 1;
      refuseControl(c, at, " inside double quotes");
      switch (c) {
        case '"' -> {
          return i + 1;
        }
        case '\\' -> {
          if (i + 1 >= n) {
            i++;
            continue;
          }
          char next = line.charAt(i + 1);
          if (next == '"' || next == '\\') {
            word.append(next);
            i += 2;
          } else if (next == '$' || next == '`') {
            throw new UnparseableCommandException("backslash before '" + next + "' inside double quotes at character "
                + at + " is read differently by a shell and by the server; use single quotes");
          } else {
            word.append(c);
            i++;
          }
        }
        case '$' -> throw new UnparseableCommandException(
            "'$' at character " + at + " inside double quotes would be expanded by a shell; use single quotes");
        case '`' -> throw new UnparseableCommandException(
            "backtick at character " + at + " inside double quotes would run a command substitution");
        default -> {
          word.append(c);
          i++;
        }
      }
    }
    throw new UnparseableCommandException("unterminated double quote opened at character " + (open + 1));
  }

  private static void refuseControl(char c, int at, String where) throws UnparseableCommandException {
    if (c == '\n' || c == '\r') {
      throw new UnparseableCommandException("line break at character " + at + where
          + ": a cli_command must be a single line");
    }
    if (c == 0) {
      throw new UnparseableCommandException("NUL character at character " + at + where);
    }
    if ((c < 0x20 && c != '\t') || c == 0x7f) {
      throw new UnparseableCommandException(String.format("control character U+%04X at character %d%s", (int) c, at, where));
    }
  }

  private static void finish(List<String> words, StringBuilder word) {
    words.add(word.toString());
    word.setLength(0);
  }
}
