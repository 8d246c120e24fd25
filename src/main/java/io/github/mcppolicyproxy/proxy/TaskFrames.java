package io.github.mcppolicyproxy.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.github.mcppolicyproxy.jsonrpc.Bytes;
import java.io.IOException;

/**
 * Reads what the task bookkeeping needs from a frame in one streaming pass, skipping everything
 * else whole (a 20 MB result costs a skip, never a tree). Both revisions' shapes are read: the
 * 2025-11-25 experimental tasks ({@code result.task} in a {@code CreateTaskResult}, {@code ttl},
 * {@code _meta["io.modelcontextprotocol/related-task"]} on a {@code tasks/result} answer) and the
 * 2026-07-28 tasks extension ({@code resultType: "task"}, the task's members flattened into the
 * result, {@code ttlMs}).
 */
final class TaskFrames {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Integer.MAX_VALUE)
          .maxStringLength(Integer.MAX_VALUE).maxNumberLength(Integer.MAX_VALUE).build())
      .build();
  private static final String RELATED = "io.modelcontextprotocol/related-task";
  /** For requests: a repeated member could be read one way here and another by the server. */
  private static final JsonFactory STRICT = JsonFactory.builder()
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Integer.MAX_VALUE)
          .maxStringLength(Integer.MAX_VALUE).maxNumberLength(Integer.MAX_VALUE).build())
      .build();

  private TaskFrames() {}

  /**
   * What a frame says about a task.
   *
   * @param error the frame is an error response
   * @param created a {@code CreateTaskResult} of either revision
   * @param taskId the task's id (of the task, the related task, or null when none)
   * @param status the task's status, or null when none
   * @param ttlMs the task's ttl in milliseconds; null when unlimited or not given
   */
  record Read(boolean error, boolean created, String taskId, String status, Long ttlMs) {
    static final Read NOTHING = new Read(false, false, null, null, null);

    boolean terminal() {
      return "completed".equals(status) || "failed".equals(status) || "cancelled".equals(status);
    }
  }

  /** A 2026-07-28 {@code tasks/get} of {@code taskId} with the string id {@code id}. */
  static byte[] modernGet(String id, String taskId) {
    com.fasterxml.jackson.core.io.JsonStringEncoder quote =
        com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance();
    return ("{\"jsonrpc\":\"2.0\",\"id\":\"" + new String(quote.quoteAsString(id))
        + "\",\"method\":\"tasks/get\",\"params\":{\"taskId\":\""
        + new String(quote.quoteAsString(taskId)) + "\",\"_meta\":{\"io.modelcontextprotocol/"
        + "protocolVersion\":\"2026-07-28\",\"io.modelcontextprotocol/clientCapabilities\":"
        + "{\"extensions\":{\"io.modelcontextprotocol/tasks\":{}}}}}}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static final byte[] TASK = {'t', 'a', 's', 'k', '"'};
  private static final byte[] ERROR = {'e', 'r', 'r', 'o', 'r', '"'};

  /**
   * False when {@code frame} cannot be an answer that creates a task: no string in it ends with
   * the letters {@code task} (a task is named by {@code "resultType":"task"}, a {@code "task"}
   * member or the {@code related-task} key, and a quote inside a string is escaped, so prose that
   * merely mentions a task does not count). A server that spells those with escapes costs the
   * task's log events and any refund: its permits stay taken (fail closed). One byte search, eight
   * bytes at a time, at any size: a 20 MB result is searched, not parsed.
   */
  static boolean mayCreateTask(byte[] frame) {
    return Bytes.indexOf(frame, TASK, 3) >= 0; // anchored on the k: rarer than a quote in text
  }

  /**
   * False when {@code frame} cannot be an error answer: no string in it ends with the letters
   * {@code error}. An upstream that spells its {@code "error"} member with escapes keeps the call's
   * permits taken (fail closed).
   */
  static boolean mayBeError(byte[] frame) {
    return Bytes.indexOf(frame, ERROR) >= 0;
  }

  /** Reads a response ({@code result} or {@code error}); {@link Read#NOTHING} when unreadable. */
  static Read response(byte[] frame) {
    return read(frame, "result");
  }

  /** Reads a notification's {@code params}; {@link Read#NOTHING} when unreadable. */
  static Read notification(byte[] frame) {
    return read(frame, "params");
  }

  /**
   * The string {@code params.taskId} of a request in {@code frame[from, to)}; null when there is
   * none or any member of the request is repeated (read to its end, so a repeat anywhere counts).
   */
  static String requestedTaskId(byte[] frame, int from, int to) {
    String taskId = null;
    try (JsonParser p = STRICT.createParser(frame, from, to - from)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String n;
      while ((n = p.nextFieldName()) != null) {
        if (p.nextToken() == JsonToken.START_OBJECT && n.equals("params")) {
          while ((n = p.nextFieldName()) != null) {
            if (p.nextToken() == JsonToken.VALUE_STRING && n.equals("taskId")) {
              taskId = p.getText();
            } else {
              p.skipChildren();
            }
          }
        } else {
          p.skipChildren();
        }
      }
      return taskId;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static Read read(byte[] frame, String container) {
    try (JsonParser p = FACTORY.createParser(frame)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Read.NOTHING;
      }
      Read found = Read.NOTHING;
      boolean error = false;
      String n;
      while ((n = p.nextFieldName()) != null) {
        JsonToken v = p.nextToken();
        if (n.equals("error")) {
          error = true;
          p.skipChildren();
        } else if (n.equals(container) && v == JsonToken.START_OBJECT) {
          found = container(p);
        } else {
          p.skipChildren();
        }
      }
      return error ? new Read(true, false, null, null, null) : found;
    } catch (IOException | RuntimeException e) {
      return Read.NOTHING; // not a frame the proxy can read: nothing is settled by it
    }
  }

  /** Reads the members of a result (or params) object, the parser on its start. */
  private static Read container(JsonParser p) throws IOException {
    Fields f = new Fields();
    String resultType = null;
    Fields legacy = null;
    String related = null;
    String n;
    while ((n = p.nextFieldName()) != null) {
      JsonToken v = p.nextToken();
      if (n.equals("resultType") && v == JsonToken.VALUE_STRING) {
        resultType = p.getText();
      } else if (n.equals("task") && v == JsonToken.START_OBJECT) {
        legacy = new Fields();
        while ((n = p.nextFieldName()) != null) {
          legacy.member(p, n, p.nextToken());
        }
      } else if (n.equals("_meta") && v == JsonToken.START_OBJECT) {
        while ((n = p.nextFieldName()) != null) {
          if (p.nextToken() == JsonToken.START_OBJECT && n.equals(RELATED)) {
            Fields r = new Fields();
            while ((n = p.nextFieldName()) != null) {
              r.member(p, n, p.nextToken());
            }
            related = r.taskId;
          } else {
            p.skipChildren();
          }
        }
      } else {
        f.member(p, n, v);
      }
    }
    if ("task".equals(resultType) && f.taskId != null) {
      return new Read(false, true, f.taskId, f.status, f.ttlMs);
    }
    if (resultType == null && legacy != null && legacy.taskId != null && legacy.status != null) {
      return new Read(false, true, legacy.taskId, legacy.status, legacy.ttlMs);
    }
    return new Read(false, false, f.taskId != null ? f.taskId : related, f.status, f.ttlMs);
  }

  /** A task's members as either revision spells them. */
  private static final class Fields {
    String taskId;
    String status;
    Long ttlMs;

    void member(JsonParser p, String name, JsonToken v) throws IOException {
      switch (name) {
        case "taskId" -> taskId = v == JsonToken.VALUE_STRING ? p.getText() : null;
        case "status" -> status = v == JsonToken.VALUE_STRING ? p.getText() : null;
        case "ttl", "ttlMs" -> ttlMs = v == JsonToken.VALUE_NUMBER_INT
            && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
            ? p.getLongValue() : null;
        default -> p.skipChildren();
      }
    }
  }
}
