package io.github.mcppolicyproxy.cli;

import io.github.mcppolicyproxy.policy.PolicyLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The policy that runs when {@code --policy} is not given: the user's file
 * {@code ~/.mcp-policy-proxy/policy.json}, created from the bundled
 * {@code config/aws-api-mcp-server.policy.json} on first start. The file a user edits is then the
 * one that runs (and the one {@code check} and {@code explain} read).
 */
final class DefaultPolicyFile {
  private DefaultPolicyFile() {}

  /** {@code ~/.mcp-policy-proxy/policy.json} under {@code home}. */
  static Path path(Path home) {
    return home.resolve(".mcp-policy-proxy").resolve("policy.json");
  }

  /** {@link #path} under the {@code user.home} of this JVM. */
  static Path forThisUser() {
    return path(Path.of(System.getProperty("user.home")));
  }

  /**
   * The user's policy file, created from the bundled one (and said so on {@code stderr}) when it
   * does not exist yet; null, after saying why, when it cannot be created (a read-only home): the
   * bundled policy runs then.
   */
  static Path ensure(Path file, PrintStream stderr) {
    if (Files.exists(file)) {
      return file;
    }
    try (InputStream in = PolicyLoader.class.getResourceAsStream(
        "/config/" + PolicyLoader.BUILTIN_DEFAULT)) {
      if (in == null) {
        throw new IOException("the jar holds no config/" + PolicyLoader.BUILTIN_DEFAULT);
      }
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), "policy-", ".json.tmp");
      try {
        Files.write(tmp, in.readAllBytes());
        Files.move(tmp, file); // never over a file a concurrent first start just made
      } catch (FileAlreadyExistsException e) {
        return file;
      } finally {
        Files.deleteIfExists(tmp);
      }
      stderr.println("mcp-policy-proxy: created the policy file " + file + " from the bundled config/"
          + PolicyLoader.BUILTIN_DEFAULT + "; edit it to change what is allowed (the proxy reloads it)"
          + " (or pass --policy FILE)");
      return file;
    } catch (IOException | RuntimeException e) {
      stderr.println("mcp-policy-proxy: cannot create " + file + " (" + e
          + "); running the bundled config/" + PolicyLoader.BUILTIN_DEFAULT);
      return null;
    }
  }
}
