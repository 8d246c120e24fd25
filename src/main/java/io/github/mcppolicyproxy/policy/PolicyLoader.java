package io.github.mcppolicyproxy.policy;

import io.github.mcppolicyproxy.errors.Failures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads a policy file into a {@link Policy}, strictly: an unknown member, a wrong type or value, a
 * duplicate key, or a rule that could never match is a {@link PolicyProblem} naming the file, the
 * JSON Pointer, what was expected and the line and column. Every problem in the file is reported at
 * once. Thread-safe.
 */
public final class PolicyLoader {
  /** Where the policy bundled in the jar lives (the default of {@code --policy}). */
  public static final String BUILTIN_DEFAULT = "aws-api-mcp-server.policy.json";

  private final PolicyJson json = new PolicyJson();

  /** Loads a policy file from disk. */
  public Policy load(Path file) throws PolicyException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new PolicyException(List.of(new PolicyProblem(
          file.toString(), "", "cannot be read: no such file", 0, 0)));
    } catch (IOException e) {
      throw new PolicyException(List.of(new PolicyProblem(
          file.toString(), "", "cannot be read: " + Failures.io(e), 0, 0)));
    }
    return parse(file.toString(), bytes);
  }

  /** Loads a policy bundled in the jar under {@code config/NAME}. */
  public Policy loadBuiltin(String name) throws PolicyException {
    try (InputStream in = PolicyLoader.class.getResourceAsStream("/config/" + name)) {
      if (in == null) {
        throw new PolicyException(List.of(new PolicyProblem(
            "builtin:" + name, "", "no such policy bundled in the jar", 0, 0)));
      }
      return parse("builtin:" + name, in.readAllBytes());
    } catch (IOException e) {
      throw new PolicyException(List.of(new PolicyProblem(
          "builtin:" + name, "", "cannot be read: " + Failures.io(e), 0, 0)));
    }
  }

  /** Parses and validates a policy from bytes; {@code source} names it in problems. */
  public Policy parse(String source, byte[] bytes) throws PolicyException {
    PolicyJson.Located located = json.read(source, bytes);
    Problems problems = new Problems(source, located.at());
    Policy policy = new EntryReader(problems).policy(located.root(), sha256(bytes));
    if (!problems.isEmpty()) {
      throw new PolicyException(problems.all());
    }
    return policy;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /** Escapes one reference token of a JSON Pointer (RFC 6901). */
  public static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
