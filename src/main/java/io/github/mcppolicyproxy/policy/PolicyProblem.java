package io.github.mcppolicyproxy.policy;

/**
 * One thing wrong with a policy file, located by JSON Pointer and, where known, line and column.
 *
 * @param line 1-based, or 0 when unknown
 */
public record PolicyProblem(String file, String pointer, String message, int line, int column) {
  @Override
  public String toString() {
    String where = line > 0 ? " (line " + line + ", column " + column + ")" : "";
    return file + ": " + (pointer.isEmpty() ? "/" : pointer) + ": " + message + where;
  }
}
