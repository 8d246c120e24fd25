package io.github.mcppolicyproxy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.audit.ViolationLog;
import io.github.mcppolicyproxy.integrity.PinFile;
import io.github.mcppolicyproxy.integrity.PinReloader;
import io.github.mcppolicyproxy.integrity.Redactor;
import io.github.mcppolicyproxy.integrity.ToolIntegrity;
import io.github.mcppolicyproxy.integrity.ToolPins;
import io.github.mcppolicyproxy.live.PolicyWatcher;
import io.github.mcppolicyproxy.policy.Policy;
import io.github.mcppolicyproxy.proxy.CallJudge;
import io.github.mcppolicyproxy.proxy.ProxyConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds a session's {@link ToolIntegrity} from the policy, the pin file and the flags, and keeps
 * the pin file's pins in force while the proxy runs: the file is watched (with the policy's
 * {@link PolicyWatcher}, at the policy's poll interval) and reloaded by a {@link PinReloader} when
 * it changes, so {@code mcp-policy-proxy pin} accepting a change takes effect without a restart.
 */
final class PinSetup {
  private PinSetup() {}

  /**
   * The tool integrity of a proxy session; whether it redacts and pins follows the policy in force
   * ({@code judges}). Pins start from {@code pins} (or the default pin file
   * beside {@code policyPath}, when it exists) unless the policy turns pinning off. That file is
   * then watched for the rest of the process (a daemon thread; none when the policy's poll interval
   * is 0), whether it exists yet or not.
   *
   * @throws IOException when {@code pins} was named and is missing, or a pin file cannot be read
   */
  static ToolIntegrity integrity(java.util.function.Supplier<CallJudge> judges, Path policyPath,
      Path pins, boolean redact,
      ViolationLog log, ProxyConfig config, ObjectMapper mapper) throws IOException {
    Policy policy = judges.get().engine().policy();
    Map<String, ToolPins.Pin> initial = Map.of();
    Path file = pins != null ? pins : PinFile.defaultFor(policyPath);
    if (policy.pinTools()) {
      if (pins != null && !Files.exists(pins)) {
        throw new IOException("no pin file at " + pins + " (create it with: mcp-policy-proxy pin"
            + " --pins " + pins + " -- COMMAND...)");
      }
      if (Files.exists(file)) {
        initial = new PinFile(mapper).read(file);
        config.stderr().println("mcp-policy-proxy: " + initial.size() + " tool definitions pinned"
            + " by " + file);
      }
    }
    ToolIntegrity integrity = new ToolIntegrity(new Redactor(),
        () -> redact && judges.get().engine().policy().redactSecrets(), new ToolPins(initial),
        () -> judges.get().engine().policy().pinTools(), log, config.clock(), config.sessionId(),
        config.stderr(), mapper);
    watch(file, initial, integrity, log, config, mapper);
    return integrity;
  }

  private static void watch(Path file, Map<String, ToolPins.Pin> initial, ToolIntegrity integrity,
      ViolationLog log, ProxyConfig config, ObjectMapper mapper) {
    PinReloader reloader = new PinReloader(file, initial, new PinFile(mapper), integrity, log,
        config.clock(), config.sessionId(), config.stderr());
    LiveReload.watch(file, () -> reloader.reload("file changed"), config.stderr());
  }
}
