package io.github.mcppolicyproxy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcppolicyproxy.limits.store.CounterState;
import io.github.mcppolicyproxy.limits.store.StoreException;
import io.github.mcppolicyproxy.limits.store.TimedStore;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code counters}: every shared counter of the store with its count, max and reset time;
 * {@code counters reset COUNTER} deletes one counter's windows (an operator's override).
 */
@Command(name = "counters", mixinStandardHelpOptions = true,
    description = {"Lists the grant and global counters of the store (current windows): count, max"
        + " and when the window resets. Exit code: 0, or 3 when the store cannot be reached."},
    subcommands = CountersCommand.Reset.class)
final class CountersCommand implements Callable<Integer> {
  /** The store could not be reached. */
  static final int EXIT_UNAVAILABLE = 3;

  @ParentCommand
  Commands.ProxyCommand parent;

  @Mixin
  StateOptions state = new StateOptions();

  @Option(names = "--json", description = "One JSON array instead of a table.")
  boolean json;

  @Option(names = "--policy", paramLabel = "FILE", hidden = true,
      description = "The policy whose file name gives the default grant.")
  Path policy;

  @Override
  public Integer call() {
    PrintStream out = new PrintStream(parent.stdout(), true, StandardCharsets.UTF_8);
    PrintStream err = parent.stderr();
    String grantFilter = state.grant == null && System.getenv(StateOptions.ENV_GRANT) == null
        ? null : "grant " + state.grant(System.getenv(), policy);
    List<CounterState> all;
    long now = Clock.systemUTC().millis();
    try (TimedStore store = open(err)) {
      if (store == null) {
        return Cli.EXIT_USAGE;
      }
      all = store.list(now);
    } catch (StoreException e) {
      err.println("mcp-policy-proxy: " + e.getMessage());
      return EXIT_UNAVAILABLE;
    }
    List<CounterState> shown = all.stream()
        .filter(c -> grantFilter == null || c.scope().equals(grantFilter)
            || c.scope().equals("global"))
        .sorted(Comparator.comparing(CounterState::scope).thenComparing(CounterState::counter)
            .thenComparingLong(CounterState::windowStart))
        .toList();
    if (json) {
      ObjectMapper m = Wiring.mapper();
      ArrayNode a = m.createArrayNode();
      for (CounterState c : shown) {
        ObjectNode o = a.addObject();
        o.put("scope", c.scope());
        o.put("counter", c.counter());
        o.put("count", c.count());
        o.put("max", c.max());
        o.put("window_start", Instant.ofEpochMilli(c.windowStart()).toString());
        o.put("resets_at", Instant.ofEpochMilli(c.resetMillis()).toString());
        o.put("resets_in_seconds", Math.max(0, (c.resetMillis() - now + 999) / 1000));
      }
      out.println(a);
      return 0;
    }
    if (shown.isEmpty()) {
      out.println("no counters in the current windows");
      return 0;
    }
    out.printf("%-24s %-36s %7s %7s  %s%n", "SCOPE", "COUNTER", "COUNT", "MAX", "RESETS");
    for (CounterState c : shown) {
      out.printf("%-24s %-36s %7d %7d  %s (in %d s)%n", c.scope(), c.counter(), c.count(),
          c.max(), Instant.ofEpochMilli(c.resetMillis()),
          Math.max(0, (c.resetMillis() - now + 999) / 1000));
    }
    return 0;
  }

  private TimedStore open(PrintStream err) {
    try {
      return state.store(state.spec(System.getenv()));
    } catch (IllegalArgumentException e) {
      err.println("mcp-policy-proxy: " + e.getMessage());
      return null;
    }
  }

  /** {@code counters reset COUNTER}: deletes the counter's windows in the grant (or global). */
  @Command(name = "reset", mixinStandardHelpOptions = true,
      description = "Sets COUNTER back to zero: deletes its windows for the grant (--grant), or"
          + " the global one with --global.")
  static final class Reset implements Callable<Integer> {
    @ParentCommand
    CountersCommand counters;

    @Parameters(index = "0", paramLabel = "COUNTER", description = "The counter's name.")
    String counter;

    @Option(names = "--global", description = "Reset the global counter, not the grant's.")
    boolean global;

    @Mixin
    StateOptions state = new StateOptions();

    @Override
    public Integer call() {
      PrintStream out = new PrintStream(counters.parent.stdout(), true, StandardCharsets.UTF_8);
      PrintStream err = counters.parent.stderr();
      // --state and --grant may come before or after "reset"
      if (state.state != null) {
        counters.state.state = state.state;
      }
      if (state.grant != null) {
        counters.state.grant = state.grant;
      }
      if (state.timeoutMs != 250) {
        counters.state.timeoutMs = state.timeoutMs;
      }
      String scope;
      try {
        scope = global ? "global"
            : "grant " + counters.state.grant(System.getenv(), counters.policy);
      } catch (IllegalArgumentException e) {
        err.println("mcp-policy-proxy: " + e.getMessage());
        return Cli.EXIT_USAGE;
      }
      try (TimedStore store = counters.open(err)) {
        if (store == null) {
          return Cli.EXIT_USAGE;
        }
        int n = store.reset(scope, counter);
        out.println("reset " + counter + " (" + scope + ") in " + store.describe() + ": " + n
            + (n == 1 ? " window" : " windows") + " deleted");
        return 0;
      } catch (StoreException e) {
        err.println("mcp-policy-proxy: " + e.getMessage());
        return EXIT_UNAVAILABLE;
      }
    }
  }
}
