package io.github.mcppolicyproxy.audit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;

/**
 * The violation log as JSON lines, one object per refusal, each written with one {@code write} and
 * flushed before {@link #append} returns, so {@code tail -f log | jq} sees it before the agent does.
 *
 * <p>When the file cannot be written (disk full, removed, permission lost), the record is written
 * whole to stderr after the marker {@value #UNWRITTEN_MARKER} so nothing is silently lost; every
 * later append (and every {@link #healthy()} check) first tries to reopen the file, and stderr is
 * told when it recovers. A file that was removed or replaced under us is noticed (by its file key)
 * and recreated before the record is written. A write that fails halfway (disk full) is cut back,
 * so the file never holds a torn line.
 */
public final class JsonLinesViolationLog implements ViolationLog {
  /** Prefix of a record that could not be written to the log and went to stderr instead. */
  public static final String UNWRITTEN_MARKER = "mcp-policy-proxy: VIOLATION-LOG-UNWRITTEN ";
  /** Free space below which a log that is down is not yet taken for recovered. */
  private static final long MIN_FREE_BYTES = 4096;

  private final Path path; // null: the log is stderr itself
  private final PrintStream stderr;
  private final ObjectMapper mapper;
  private final boolean recordValues;
  private final LogRotation rotation;
  private FileChannel out; // null while closed (or for the stderr log)
  private Object fileKey;
  private boolean healthy = true;

  private JsonLinesViolationLog(Path path, PrintStream stderr, ObjectMapper mapper,
      boolean recordValues, LogRotation rotation) {
    this.path = path;
    this.rotation = Objects.requireNonNull(rotation, "rotation");
    this.stderr = Objects.requireNonNull(stderr, "stderr");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.recordValues = recordValues;
  }

  /**
   * Opens (creating parents and the file, appending) the log at {@code path}.
   *
   * @throws IOException when it cannot be opened now: the caller exits before starting the child
   */
  public static JsonLinesViolationLog open(Path path, PrintStream stderr, ObjectMapper mapper,
      boolean recordValues) throws IOException {
    return open(path, stderr, mapper, recordValues, LogRotation.NEVER);
  }

  /** As {@link #open(Path, PrintStream, ObjectMapper, boolean)}, rotated by size as given. */
  public static JsonLinesViolationLog open(Path path, PrintStream stderr, ObjectMapper mapper,
      boolean recordValues, LogRotation rotation) throws IOException {
    JsonLinesViolationLog log = new JsonLinesViolationLog(
        Objects.requireNonNull(path, "path"), stderr, mapper, recordValues, rotation);
    log.reopen();
    return log;
  }

  /** A log that writes its lines to stderr ({@code --violation-log -}). */
  public static JsonLinesViolationLog toStderr(PrintStream stderr, ObjectMapper mapper,
      boolean recordValues) {
    return new JsonLinesViolationLog(null, stderr, mapper, recordValues, LogRotation.NEVER);
  }

  private void reopen() throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    FileChannel fresh = FileChannel.open(path, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    closeQuietly();
    out = fresh;
    fileKey = currentFileKey();
  }

  /** Reopens when the file is not the one we hold open (removed, replaced) or not open at all. */
  private void ensureOpen() throws IOException {
    Object key = currentFileKey(); // null when removed: recreated below
    if (!healthy || out == null || key == null || !Objects.equals(fileKey, key)) {
      reopen();
    }
  }

  /** The key of the file now at {@code path}, or null when none is there (it was removed). */
  private Object currentFileKey() throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
          .fileKey();
    } catch (java.nio.file.NoSuchFileException e) {
      return null;
    }
  }

  @Override
  public boolean append(Violation v) {
    return appendLine(json(v));
  }

  @Override
  public boolean appendEvent(LogEvent e) {
    return appendLine(json(e));
  }

  private synchronized boolean appendLine(String json) {
    byte[] line = (json + "\n").getBytes(StandardCharsets.UTF_8);
    if (path == null) {
      stderr.write(line, 0, line.length);
      stderr.flush();
      return true;
    }
    try {
      ensureOpen();
      if (rotation.due(out.size(), line.length)) {
        rotate();
      }
      write(line);
      recovered();
      return true;
    } catch (IOException | RuntimeException e) {
      if (healthy) {
        stderr.println("mcp-policy-proxy: violation log " + path + " cannot be written ("
            + describe(e) + "); refusals go to stderr until it recovers");
      }
      healthy = false;
      byte[] marked = (UNWRITTEN_MARKER + new String(line, StandardCharsets.UTF_8))
          .getBytes(StandardCharsets.UTF_8);
      synchronized (stderr) { // one write: no other thread's line can land inside the record
        stderr.write(marked, 0, marked.length);
        stderr.flush();
      }
      return false;
    }
  }

  /**
   * Between two records, under this log's lock: {@code LOG.(keep-1)} becomes {@code LOG.keep} (the
   * oldest is dropped), ..., {@code LOG} becomes {@code LOG.1}, and a new empty {@code LOG} is
   * opened. Every record is whole in exactly one file.
   */
  private void rotate() throws IOException {
    closeQuietly();
    rotation.shift(path);
    reopen();
  }

  /** Writes the whole line or, failing that, cuts the file back to where it was. */
  private void write(byte[] line) throws IOException {
    long before = out.size();
    try {
      ByteBuffer b = ByteBuffer.wrap(line);
      while (b.hasRemaining()) {
        out.write(b);
      }
    } catch (IOException e) {
      try {
        if (out.size() > before) {
          out.truncate(before);
        }
      } catch (IOException again) {
        e.addSuppressed(again);
      }
      throw e;
    }
  }

  private void recovered() {
    if (!healthy) {
      healthy = true;
      stderr.println("mcp-policy-proxy: violation log " + path + " is writable again");
    }
  }

  /**
   * True when the log can take a record now. A log that is down is retried here (reopened, and its
   * disk checked for room), so {@code --require-audit} lets calls through again as soon as it has
   * recovered; a log that is up is checked for removal or replacement. A disk that fills up while the
   * log is up is only noticed by the next write.
   */
  @Override
  public synchronized boolean healthy() {
    if (path == null) {
      return true;
    }
    try {
      ensureOpen();
      if (!healthy && Files.getFileStore(path).getUsableSpace() < MIN_FREE_BYTES) {
        return false;
      }
      recovered();
    } catch (IOException | RuntimeException e) {
      if (healthy) {
        stderr.println("mcp-policy-proxy: violation log " + path + " cannot be written ("
            + describe(e) + "); refusals go to stderr until it recovers");
      }
      healthy = false;
    }
    return healthy;
  }

  /** Renders {@code sample}, and an event of the session that wrote it, and writes neither. */
  @Override
  public void warmUp(Violation sample) {
    json(sample);
    json(new LogEvent(sample.time(), sample.session(), "warm_up", Map.of("calls", 1),
        sample.policySource(), sample.policySha256()));
  }

  /** The JSON line for {@code v}, without its line end. */
  public String json(Violation v) {
    ObjectNode o = mapper.createObjectNode();
    o.put("time", LogTime.format(v.time()));
    o.put("session", v.session());
    if (v.requestId() == null) {
      o.putNull("request_id");
    } else {
      // The id exactly as the client sent it (1.10, 1e400, "a\u0062"): re-parsing it would
      // rewrite numbers (1.10 -> 1.1, 1e400 -> "Infinity"). Only one valid JSON value is raw.
      if (isOneJsonScalar(v.requestId())) {
        o.putRawValue("request_id", new RawValue(v.requestId()));
      } else {
        o.put("request_id", v.requestId());
      }
    }
    o.put("tool", v.tool());
    if (!v.refusal().operations().isEmpty()) {
      ArrayNode ops = o.putArray("operations");
      v.refusal().operations().forEach(ops::add);
    }
    o.put("code", v.refusal().code().wire());
    o.put("rule", v.refusal().rule());
    o.put("reason", v.refusal().reason());
    if (v.refusal().retryAfterSeconds().isPresent()) {
      o.put("retry_after_seconds", v.refusal().retryAfterSeconds().getAsLong());
    } else {
      o.putNull("retry_after_seconds");
    }
    if (v.refusal().scope() != null) {
      o.put("scope", v.refusal().scope()); // whose count refused: session, grant NAME, global
    }
    o.put("outcome", v.refusal().code() == io.github.mcppolicyproxy.policy.Code.APPROVAL_HELD
        ? "held" : v.enforced() ? "refused" : "would_refuse");
    o.put("mode", v.enforced() ? "enforce" : "monitor");
    o.put("arguments_sha256", v.argumentsSha256());
    ArrayNode keys = o.putArray("argument_keys");
    v.argumentKeys().forEach(keys::add);
    if (recordValues && v.argumentValues() != null) {
      o.set("arguments", v.argumentValues());
    }
    o.put("policy", v.policySource());
    o.put("policy_sha256", v.policySha256());
    try {
      return mapper.writeValueAsString(o);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize a violation record", e);
    }
  }

  /** The JSON line for {@code e}, without its line end. */
  public String json(LogEvent e) {
    ObjectNode o = mapper.createObjectNode();
    o.put("time", LogTime.format(e.time()));
    o.put("session", e.session());
    if (e.aboutACall()) {
      if (e.requestId() == null) {
        o.putNull("request_id");
      } else if (isOneJsonScalar(e.requestId())) {
        o.putRawValue("request_id", new RawValue(e.requestId()));
      } else {
        o.put("request_id", e.requestId());
      }
      o.put("tool", e.tool());
    }
    o.put("event", e.event());
    e.details().forEach((k, v) -> o.set(k, DetailNodes.node(mapper, v)));
    if (e.policySource() != null || e.policySha256() != null) {
      o.put("policy", e.policySource());
      o.put("policy_sha256", e.policySha256());
    }
    try {
      return mapper.writeValueAsString(o);
    } catch (IOException ex) {
      throw new IllegalStateException("cannot serialize a log event", ex);
    }
  }

  private boolean isOneJsonScalar(String text) {
    try (JsonParser p = mapper.getFactory().createParser(text)) {
      JsonToken t = p.nextToken();
      return t != null && t.isScalarValue() && p.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public synchronized void close() {
    if (path != null) {
      closeQuietly();
    }
  }

  private void closeQuietly() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        // closing a log we are replacing or leaving: nothing more to save
      }
    }
    out = null;
  }

  /** A failure in words: the file and what is wrong with it, never a Java class name. */
  private static String describe(Exception e) {
    return e instanceof IOException x ? io.github.mcppolicyproxy.errors.Failures.io(x)
        : "internal error: " + e.getClass().getSimpleName();
  }
}
