package io.github.mcppolicyproxy.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the upstream's program where a user expects it. A bare name ({@code uvx}, {@code npx}) is
 * looked up on the PATH first, then where installers put it but a GUI app's short PATH lacks it
 * ({@code ~/.local/bin}, {@code ~/.cargo/bin}, {@code /opt/homebrew/bin}, {@code /usr/local/bin};
 * on Windows also the {@code .exe}/{@code .cmd} shims and npm's directory). When found there, the
 * command gets its absolute path and the child's PATH gains that directory (npx needs node beside
 * it). When found nowhere, {@link #locate} fails with the places tried and how to install it.
 */
public final class CommandLocator {
  /** The one-line install of uv (which provides uvx), for Unix-like systems. */
  public static final String UV_INSTALL = "curl -LsSf https://astral.sh/uv/install.sh | sh";
  private static final String UV_INSTALL_WINDOWS =
      "powershell -ExecutionPolicy ByPass -c \"irm https://astral.sh/uv/install.ps1 | iex\"";

  private final String path;
  private final List<Path> fallbacks;
  private final boolean windows;
  private final List<String> extensions;

  /**
   * @param path the PATH the upstream would be searched on
   * @param fallbacks directories tried, in order, when the PATH lacks the program
   * @param windows whether names also take {@code .exe}, {@code .cmd}, {@code .bat}
   */
  public CommandLocator(String path, List<Path> fallbacks, boolean windows) {
    this.path = Objects.requireNonNullElse(path, "");
    this.fallbacks = List.copyOf(fallbacks);
    this.windows = windows;
    this.extensions = windows ? List.of("", ".exe", ".cmd", ".bat") : List.of("");
  }

  /** The locator for this process: its PATH, its home's and the system's usual directories. */
  public static CommandLocator forThisProcess() {
    Map<String, String> env = System.getenv();
    boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    String home = env.getOrDefault(windows ? "USERPROFILE" : "HOME", System.getProperty("user.home"));
    return new CommandLocator(env.get("PATH"), fallbacks(home, env, windows), windows);
  }

  static List<Path> fallbacks(String home, Map<String, String> env, boolean windows) {
    List<String> dirs = new ArrayList<>();
    if (home != null && !home.isBlank()) {
      dirs.add(home + File.separator + ".local" + File.separator + "bin");
      dirs.add(home + File.separator + ".cargo" + File.separator + "bin");
    }
    if (windows) {
      if (env.get("APPDATA") != null) {
        dirs.add(env.get("APPDATA") + "\\npm");
      }
      if (env.get("ProgramFiles") != null) {
        dirs.add(env.get("ProgramFiles") + "\\nodejs");
      }
    } else {
      dirs.add("/opt/homebrew/bin");
      dirs.add("/usr/local/bin");
    }
    List<Path> out = new ArrayList<>();
    for (String d : dirs) {
      try {
        out.add(Path.of(d));
      } catch (InvalidPathException e) {
        // an odd HOME: that place cannot hold the program
      }
    }
    return out;
  }

  /**
   * Where {@code command} runs from.
   *
   * @throws UpstreamStartException (exit code 127) when its program is found nowhere
   */
  public Located locate(List<String> command) throws UpstreamStartException {
    if (command.isEmpty()) {
      throw new UpstreamStartException("no upstream command given", 127);
    }
    String program = command.get(0);
    if (program.contains("/") || program.contains("\\") || program.isBlank()) {
      return new Located(command, Map.of(), Optional.empty());
    }
    for (String dir : path.split(File.pathSeparator, -1)) {
      if (!dir.isEmpty() && find(dir, program).isPresent()) {
        return new Located(command, Map.of(), Optional.empty());
      }
    }
    for (Path dir : fallbacks) {
      Optional<Path> found = find(dir.toString(), program);
      if (found.isPresent()) {
        List<String> located = new ArrayList<>(command);
        located.set(0, found.get().toString());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", path.isEmpty() ? dir.toString() : path + File.pathSeparator + dir);
        return new Located(List.copyOf(located), Map.copyOf(env), Optional.of(program
            + " is not on the PATH; using " + found.get() + " (and adding " + dir
            + " to the upstream's PATH)"));
      }
    }
    throw new UpstreamStartException(notFound(program), 127);
  }

  private Optional<Path> find(String dir, String program) {
    for (String ext : extensions) {
      try {
        Path p = Path.of(dir, program + ext);
        if (Files.isRegularFile(p) && (windows || Files.isExecutable(p))) {
          return Optional.of(p.toAbsolutePath());
        }
      } catch (InvalidPathException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private String notFound(String program) {
    StringBuilder b = new StringBuilder("cannot start upstream ").append(program)
        .append(": not found on the PATH (").append(path.isEmpty() ? "empty" : path)
        .append(") nor in ");
    for (int i = 0; i < fallbacks.size(); i++) {
      b.append(i == 0 ? "" : i == fallbacks.size() - 1 ? " or " : ", ").append(fallbacks.get(i));
    }
    b.append(". ");
    switch (program.toLowerCase(Locale.ROOT)) {
      case "uvx", "uv" -> b.append("It comes with uv: install it with `")
          .append(windows ? UV_INSTALL_WINDOWS : UV_INSTALL)
          .append("`, or give the full path of ").append(program).append(" as the command.");
      case "npx", "node", "npm" -> b.append("It comes with Node.js: install Node.js 20+ from"
          + " https://nodejs.org, or give the full path of ").append(program).append(" as the command.");
      default -> b.append("Install it, or give its full path as the command.");
    }
    return b.toString();
  }

  /**
   * A command ready to start.
   *
   * @param command the command, its program made absolute when it came from a fallback directory
   * @param env environment entries the child needs on top of ours (its PATH, then)
   * @param note what to say on stderr about where the program was found, if anything
   */
  public record Located(List<String> command, Map<String, String> env, Optional<String> note) {
    public Located {
      command = List.copyOf(command);
      env = Map.copyOf(env);
      Objects.requireNonNull(note, "note");
    }
  }
}
