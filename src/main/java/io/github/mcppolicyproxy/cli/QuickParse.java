package io.github.mcppolicyproxy.cli;

import io.github.mcppolicyproxy.cli.Commands.ProxyCommand;
import io.github.mcppolicyproxy.proxy.ProxyConfig;
import io.github.mcppolicyproxy.proxy.UpstreamQueue;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a proxy start's command line into a {@link ProxyCommand} without picocli, whose model
 * (reflection over every annotation of the command and its mixins) costs ~60 ms of CPU on the
 * path to the client's first answer. Only the grammar {@link Prescan} accepts, and within it only
 * what is read without doubt: each option at most once, as {@code --name value} or {@code
 * --name=value}, a value that is not empty and does not start with {@code -} unless it is {@code
 * -}, numbers as plain decimal digits; anything else returns false and
 * picocli parses as before. What it reads equals picocli's reading field for field: QuickParseTest
 * holds the two equal on generated command lines in every build ({@link #verify} is its oracle).
 * Picocli no longer parses again during the session: that check cost each session ~0.2 s of CPU
 * (its model by reflection, and C1 compiling it), more than the relay of a few thousand calls.
 */
final class QuickParse {
  private QuickParse() {}

  /** Sets {@code cmd}'s options from {@code args}; false (cmd untouched) when picocli must. */
  static boolean fill(ProxyCommand cmd, String[] args) {
    List<String[]> given = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<String> command = List.of();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        command = List.of(args).subList(i + 1, args.length);
        break;
      }
      int eq = a.indexOf('=');
      String name = a.startsWith("--") && eq > 0 ? a.substring(0, eq) : a;
      String value = null;
      if (Prescan.VALUED.contains(name)) {
        if (eq > 0) {
          value = a.substring(eq + 1);
        } else if (i + 1 < args.length) {
          value = args[++i];
        } else {
          return false;
        }
        if (value.isEmpty() || (value.startsWith("-") && !value.equals("-"))) {
          return false; // picocli may take it for an option (even after '='), or refuse it
        }
      } else if (!Prescan.FLAGS.contains(a)) {
        return false;
      }
      if (!seen.add(name)) {
        return false; // picocli refuses an option given twice
      }
      given.add(new String[] {name, value});
    }
    ProxyCommand c = new ProxyCommand(null, null, null, null);
    defaults(c);
    for (String[] g : given) {
      if (!set(c, g[0], g[1])) {
        return false;
      }
    }
    c.command = new ArrayList<>(command);
    copy(c, cmd);
    return true;
  }

  /** What picocli sets when an option is not given (its defaultValue, else the initial value). */
  private static void defaults(ProxyCommand c) {
    c.violationLogMaxBytes = 0;
    c.violationLogKeep = 5;
    c.refusalStyle = "result";
    c.maxFrameBytes = ProxyConfig.DEFAULT_MAX_FRAME_BYTES;
    c.maxPending = ProxyConfig.DEFAULT_MAX_PENDING;
    c.maxQueuedBytes = UpstreamQueue.DEFAULT_MAX_BYTES;
    c.shutdownGraceMs = 1000;
    c.state.failMode = "closed";
    c.state.timeoutMs = 250;
    c.approval.fallback = "refuse";
    c.approval.via = "elicitation";
  }

  private static boolean set(ProxyCommand c, String name, String v) {
    switch (name) {
      case "--policy" -> c.policy = path(v);
      case "--violation-log" -> c.violationLog = v;
      case "--violation-log-max-bytes" -> c.violationLogMaxBytes = number(v, 18);
      case "--violation-log-keep" -> c.violationLogKeep = (int) number(v, 9);
      case "--session-id" -> c.sessionId = v;
      case "--refusal-style" -> c.refusalStyle = v;
      case "--max-frame-bytes" -> c.maxFrameBytes = (int) number(v, 9);
      case "--max-pending" -> c.maxPending = (int) number(v, 9);
      case "--max-queued-bytes" -> c.maxQueuedBytes = number(v, 18);
      case "--shutdown-grace-ms" -> c.shutdownGraceMs = number(v, 18);
      case "--pins" -> c.pins = path(v);
      case "--otlp-endpoint" -> c.otlpEndpoint = v;
      case "--state" -> c.state.state = v;
      case "--grant" -> c.state.grant = v;
      case "--state-fail-mode" -> c.state.failMode = v;
      case "--state-timeout-ms" -> c.state.timeoutMs = number(v, 18);
      case "--approval-fallback" -> c.approval.fallback = v;
      case "--approval-via" -> c.approval.via = v;
      case "--approvals-dir" -> c.approval.dir = path(v);
      case "--require-audit" -> c.requireAudit = true;
      case "--log-argument-values" -> c.logArgumentValues = true;
      case "--no-redact-secrets" -> c.noRedactSecrets = true;
      case "--no-refund" -> c.noRefund = true;
      default -> {
        return false; // an option added to the model and not here: picocli reads it
      }
    }
    return !(c.policy == BAD || c.pins == BAD || c.approval.dir == BAD
        || c.violationLogMaxBytes < 0 || c.violationLogKeep < 0 || c.maxFrameBytes < 0
        || c.maxPending < 0 || c.maxQueuedBytes < 0 || c.shutdownGraceMs < 0
        || c.state.timeoutMs < 0);
  }

  private static final Path BAD = Path.of("\u0001bad");

  private static Path path(String v) {
    try {
      return Path.of(v);
    } catch (RuntimeException e) {
      return BAD;
    }
  }

  /** Plain decimal digits, no sign, no leading zero, at most {@code digits} of them; else -1. */
  private static long number(String v, int digits) {
    if (v.length() > digits || (v.length() > 1 && v.charAt(0) == '0')) {
      return -1;
    }
    for (int i = 0; i < v.length(); i++) {
      if (v.charAt(i) < '0' || v.charAt(i) > '9') {
        return -1;
      }
    }
    return Long.parseLong(v);
  }

  private static void copy(ProxyCommand from, ProxyCommand to) {
    to.policy = from.policy;
    to.violationLog = from.violationLog;
    to.violationLogMaxBytes = from.violationLogMaxBytes;
    to.violationLogKeep = from.violationLogKeep;
    to.sessionId = from.sessionId;
    to.refusalStyle = from.refusalStyle;
    to.maxFrameBytes = from.maxFrameBytes;
    to.maxPending = from.maxPending;
    to.maxQueuedBytes = from.maxQueuedBytes;
    to.shutdownGraceMs = from.shutdownGraceMs;
    to.requireAudit = from.requireAudit;
    to.logArgumentValues = from.logArgumentValues;
    to.noRedactSecrets = from.noRedactSecrets;
    to.pins = from.pins;
    to.state = from.state;
    to.noRefund = from.noRefund;
    to.otlpEndpoint = from.otlpEndpoint;
    to.approval = from.approval;
    to.command = from.command;
  }

  /**
   * The options where {@code a} and {@code b} differ, by picocli's annotations (mixins' fields
   * included): empty when they read the command line alike.
   */
  static List<String> differences(Object a, Object b) {
    List<String> out = new ArrayList<>();
    for (Field f : a.getClass().getDeclaredFields()) {
      if (f.isAnnotationPresent(picocli.CommandLine.Option.class)
          || f.isAnnotationPresent(picocli.CommandLine.Parameters.class)
          || f.isAnnotationPresent(picocli.CommandLine.Mixin.class)) {
        try {
          f.setAccessible(true);
          Object x = f.get(a);
          Object y = f.get(b);
          if (f.isAnnotationPresent(picocli.CommandLine.Mixin.class)) {
            differences(x, y).forEach(d -> out.add(f.getName() + "." + d));
          } else if (!Objects.equals(x, y)) {
            out.add(f.getName() + ": " + x + " / " + y);
          }
        } catch (IllegalAccessException e) {
          out.add(f.getName() + ": not readable");
        }
      }
    }
    return out;
  }

  /** How picocli's reading of {@code args} differs from {@code quick}'s, if it does. */
  static java.util.Optional<String> verify(String[] args, ProxyCommand quick) {
    ProxyCommand parsed = new ProxyCommand(null, null, null, null);
    try {
      Cli.proxyModel(parsed).parseArgs(args);
    } catch (picocli.CommandLine.ParameterException e) {
      return java.util.Optional.of("picocli refuses the command line: " + e.getMessage());
    }
    List<String> d = differences(quick, parsed);
    return d.isEmpty() ? java.util.Optional.empty()
        : java.util.Optional.of("picocli reads the command line otherwise: " + d);
  }
}
