package io.github.mcppolicyproxy.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * Finds the AWS operations inside a tool call (for {@code call_aws}: the commands of
 * {@code cli_command}). Implementations must never guess: what they cannot read is
 * {@link Inspection.Unparseable}.
 */
@FunctionalInterface
public interface CommandInspector {
  /** An inspector for upstreams without commands: every call is {@link Inspection.None}. */
  CommandInspector NONE = call -> new Inspection.None();

  Inspection inspect(ToolCall call);

  /**
   * The operation rules as this inspector's operation keys should be matched against them; by
   * default the rules themselves. The AWS inspector adds, for a key that names a service by
   * another of its names (CLI word, botocore name), the same entry under the IAM prefix.
   */
  default java.util.Map<Glob, Entry> operationRules(java.util.Map<Glob, Entry> rules) {
    return rules;
  }

  /**
   * The command the warm-ups judge ahead of the first call (the inspector's and
   * {@link PolicyEngine#warmUp}'s): one every policy can read, which changes nothing.
   */
  String WARM_UP_COMMAND = "aws sts get-caller-identity";

  /** Reads what the inspector needs ahead of the first call (a model, say); by default nothing. */
  default void warmUp() {}

  /** What an inspection found. */
  sealed interface Inspection {
    /** The call carries no commands (another tool). */
    record None() implements Inspection {}

    /** The commands of the call, in order. */
    record Commands(List<Command> commands) implements Inspection {
      public Commands {
        commands = List.copyOf(commands);
      }
    }

    /** A command could not be read; {@code reason} is shown to the agent. */
    record Unparseable(String reason) implements Inspection {
      public Unparseable {
        Objects.requireNonNull(reason, "reason");
      }
    }
  }

  /**
   * One command of a call.
   *
   * @param operations the API operations it performs, as {@code service:Operation}
   * @param lazyFacts what operation predicates see ({@link #facts()}), made when first asked for:
   *     most commands match only entries without predicates, and never need them
   */
  record Command(String text, List<String> operations, Facts lazyFacts) {
    public Command {
      Objects.requireNonNull(text, "text");
      operations = List.copyOf(operations);
      Objects.requireNonNull(lazyFacts, "lazyFacts");
    }

    /** A command whose facts are already made. */
    public Command(String text, List<String> operations, JsonNode facts) {
      this(text, operations, Facts.of(facts));
    }

    /**
     * What operation predicates see: {@code params}, {@code region}, {@code profile},
     * {@code operations}.
     */
    public JsonNode facts() {
      return lazyFacts.get();
    }
  }

  /**
   * A command's facts, made on first use and then kept. The maker must be a pure function of the
   * command (two threads that race may both run it, and either tree is kept), and the tree is not
   * changed after it is made.
   */
  final class Facts {
    private final java.util.function.Supplier<JsonNode> maker;
    private volatile JsonNode made;

    public Facts(java.util.function.Supplier<JsonNode> maker) {
      this.maker = Objects.requireNonNull(maker, "maker");
    }

    /** Facts already made. */
    public static Facts of(JsonNode facts) {
      Objects.requireNonNull(facts, "facts");
      Facts f = new Facts(() -> facts);
      f.made = facts;
      return f;
    }

    public JsonNode get() {
      JsonNode f = made;
      if (f == null) {
        f = Objects.requireNonNull(maker.get(), "facts");
        made = f;
      }
      return f;
    }
  }
}
