package io.github.mcppolicyproxy.proxy;

import io.github.mcppolicyproxy.jsonrpc.Bytes;
import java.nio.charset.StandardCharsets;

/**
 * The byte searches that spare an answer a parse: false means the answer cannot be what is asked
 * (see {@link TaskFrames#mayCreateTask}, {@link TaskFrames#mayBeError}); true, that it must be read.
 * For a small answer they are searched when asked; a large one's were found while it was read
 * ({@link UpstreamLook}).
 */
interface AnswerMarks {
  /** A string in it ends with {@code task}: it may create a task. */
  boolean mayCreateTask();

  /** A string in it ends with {@code error}: it may be an error answer. */
  boolean mayBeError();

  /** It holds {@code "input_required"}: it may ask for input (2026-07-28). */
  boolean mayAskForInput();

  byte[] INPUT_REQUIRED = "\"input_required\"".getBytes(StandardCharsets.US_ASCII);

  /** The marks of {@code frame}, each searched when asked. */
  static AnswerMarks of(byte[] frame) {
    return new AnswerMarks() {
      @Override
      public boolean mayCreateTask() {
        return TaskFrames.mayCreateTask(frame);
      }

      @Override
      public boolean mayBeError() {
        return TaskFrames.mayBeError(frame);
      }

      @Override
      public boolean mayAskForInput() {
        return Bytes.indexOf(frame, INPUT_REQUIRED) >= 0;
      }
    };
  }
}
