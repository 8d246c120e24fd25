package io.github.mcppolicyproxy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mcppolicyproxy.audit.ViolationLog;
import io.github.mcppolicyproxy.integrity.PinFile;
import io.github.mcppolicyproxy.integrity.Redactor;
import io.github.mcppolicyproxy.integrity.ToolIntegrity;
import io.github.mcppolicyproxy.integrity.ToolPins;
import io.github.mcppolicyproxy.policy.Policy;
import io.github.mcppolicyproxy.proxy.CallJudge;
import io.github.mcppolicyproxy.proxy.ProxyConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Builds a session's {@link ToolIntegrity} from the policy, the pin file and the flags. */
final class PinSetup {
  private PinSetup() {}

  /**
   * The tool integrity of a proxy session; whether it redacts and pins follows the policy in force
   * ({@code judges}). Pins start from {@code pins} (or the default pin file
   * beside {@code policyPath}, when it exists) unless the policy turns pinning off.
   *
   * @throws IOException when {@code pins} was named and is missing, or a pin file cannot be read
   */
  static ToolIntegrity integrity(java.util.function.Supplier<CallJudge> judges, Path policyPath,
      Path pins, boolean redact,
      ViolationLog log, ProxyConfig config, ObjectMapper mapper) throws IOException {
    Policy policy = judges.get().engine().policy();
    Map<String, ToolPins.Pin> initial = Map.of();
    if (policy.pinTools()) {
      Path file = pins != null ? pins : PinFile.defaultFor(policyPath);
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
    return new ToolIntegrity(new Redactor(),
        () -> redact && judges.get().engine().policy().redactSecrets(), new ToolPins(initial),
        () -> judges.get().engine().policy().pinTools(), log, config.clock(), config.sessionId(),
        config.stderr(), mapper);
  }
}
