package io.github.mcppolicyproxy.scan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Classes a tool by risk from its MCP annotations and, where they say nothing decisive, from the
 * verbs in its name. {@code readOnlyHint: true} is a read; {@code destructiveHint: true} with
 * {@code readOnlyHint} not true is destructive; {@code destructiveHint: false} is a write (an
 * execute when its name runs things). Otherwise the strongest verb in the name decides
 * (destructive over execute over write over read); a name with no known verb is taken for a write.
 * {@code openWorldHint: true} (given, not the spec's default) makes a write an execute: its effects
 * reach systems outside the server (a message sent, a post published), where they cannot be taken
 * back and the proxy cannot see them, so it gets the tighter limit; it changes no read or
 * destructive class. {@code idempotentHint} and {@code openWorldHint} are named in the reason
 * whenever given (they change no other class: repeating a call is what the limits already count).
 */
public final class RiskClassifier {
  private static final Set<String> DESTRUCTIVE = Set.of("delete", "remove", "rm", "drop",
      "destroy", "purge", "truncate", "terminate", "kill", "wipe", "erase", "revoke", "uninstall",
      "reset", "deregister", "unlink", "rmdir", "crash");
  private static final Set<String> EXECUTE = Set.of("run", "exec", "execute", "eval", "evaluate",
      "invoke", "call", "shell", "command", "cmd", "script", "spawn", "launch", "start", "trigger",
      "bash", "sh", "python", "sql", "deploy");
  private static final Set<String> WRITE = Set.of("create", "update", "put", "set", "write", "add",
      "edit", "modify", "move", "mv", "rename", "copy", "cp", "upload", "send", "post", "patch",
      "insert", "save", "tag", "push", "publish", "mkdir", "append", "replace", "merge", "commit",
      "enable", "disable", "stop", "register", "attach", "install", "notify", "toggle");
  private static final Set<String> READ = Set.of("get", "list", "read", "search", "find",
      "describe", "show", "query", "fetch", "view", "lookup", "count", "check", "head", "ls", "cat",
      "stat", "inspect", "print", "echo", "suggest", "explain", "info", "tail", "download",
      "browse", "preview", "validate", "estimate", "diff", "status", "whoami", "ping");

  /** A tool's risk and why, in words for the starter policy's description. */
  public record Class(Risk risk, String why) {}

  /** The risk of {@code tool} (an entry of a {@code tools/list} answer). */
  public Class classify(JsonNode tool) {
    String name = tool.path("name").asText("");
    JsonNode a = tool.path("annotations");
    Risk byName = byName(name);
    boolean openWorld = a.path("openWorldHint").asBoolean(false);
    if (a.path("readOnlyHint").asBoolean(false)) {
      return new Class(Risk.READ, "annotations: readOnlyHint" + notes(a));
    }
    if (a.path("destructiveHint").isBoolean()) {
      if (a.path("destructiveHint").asBoolean()) {
        return new Class(Risk.DESTRUCTIVE, "annotations: destructiveHint" + notes(a));
      }
      if (byName == Risk.EXECUTE) {
        return new Class(Risk.EXECUTE, "annotations: not destructive" + notes(a)
            + "; its name runs things");
      }
      return openWorld
          ? new Class(Risk.EXECUTE, "annotations: not read-only, not destructive" + notes(a)
              + OPEN_WORLD_WRITE)
          : new Class(Risk.WRITE, "annotations: not read-only, not destructive" + notes(a));
    }
    if (byName != null) {
      return openWorld && byName == Risk.WRITE
          ? new Class(Risk.EXECUTE, "the verbs in its name: a write; annotations" + notes(a)
              + OPEN_WORLD_WRITE)
          : new Class(byName, "no decisive annotations; the verbs in its name" + notes(a));
    }
    return openWorld
        ? new Class(Risk.EXECUTE, "no decisive annotation or known verb says what it does,"
            + " taken for a write; annotations" + notes(a) + OPEN_WORLD_WRITE)
        : new Class(Risk.WRITE, "no decisive annotation or known verb says what it does; taken"
            + " for a write" + notes(a));
  }

  private static final String OPEN_WORLD_WRITE = ": a write that reaches outside systems, where"
      + " its effects cannot be taken back, is limited as an execute";

  /** The hints given that do not decide the class by themselves, for the reason. */
  private static String notes(JsonNode a) {
    StringBuilder out = new StringBuilder();
    if (a.path("idempotentHint").isBoolean()) {
      out.append(a.path("idempotentHint").asBoolean() ? ", idempotent" : ", not idempotent");
    }
    if (a.path("openWorldHint").isBoolean()) {
      out.append(a.path("openWorldHint").asBoolean() ? ", open world (reaches outside systems)"
          : ", closed world");
    }
    return out.toString();
  }

  /** The strongest risk a verb in {@code name} names, or null when none is known. */
  static Risk byName(String name) {
    Risk worst = null;
    for (String w : words(name)) {
      Risk r = DESTRUCTIVE.contains(w) ? Risk.DESTRUCTIVE : EXECUTE.contains(w) ? Risk.EXECUTE
          : WRITE.contains(w) ? Risk.WRITE : READ.contains(w) ? Risk.READ : null;
      if (r != null && (worst == null || r.compareTo(worst) > 0)) {
        worst = r;
      }
    }
    return worst;
  }

  /** {@code getUserName}, {@code get_user-name}, {@code aws___call_aws} → get, user, name. */
  static List<String> words(String name) {
    List<String> out = new ArrayList<>();
    for (String part : name.split("[^A-Za-z0-9]+")) {
      for (String w : part.split("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")) {
        if (!w.isEmpty()) {
          out.add(w.toLowerCase(Locale.ROOT));
        }
      }
    }
    return out;
  }
}
