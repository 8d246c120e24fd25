package io.github.mcppolicyproxy.proxy;

import io.github.mcppolicyproxy.integrity.TriggerLook;
import io.github.mcppolicyproxy.jsonrpc.LineLook;
import io.github.mcppolicyproxy.jsonrpc.LongStrings;
import io.github.mcppolicyproxy.jsonrpc.NeedleLook;

/**
 * Everything the server → client direction would pass over a large frame for after its last
 * byte, done while the upstream is still writing it: the long strings' validation for the envelope
 * scan ({@link LongStrings}), the secret-trigger look of the redactor ({@link TriggerLook}, when
 * results are redacted), and the byte searches of {@link AnswerMarks}. Each gives the answer its
 * pass over the whole frame would give (their tests hold them to that); a look that did not see
 * every byte answers "must be read" (true), so the frame is then read as before.
 */
final class UpstreamLook implements LineLook, AnswerMarks {
  private final LongStrings strings = new LongStrings();
  private final TriggerLook secrets; // null: results are not redacted
  private final NeedleLook task = new NeedleLook(TaskFrames.TASK, 3); // the k
  private final NeedleLook error = new NeedleLook(TaskFrames.ERROR, 5); // the quote
  private final NeedleLook inputRequired = new NeedleLook(INPUT_REQUIRED, 6); // the _

  /** @param secrets whether results are looked at for secrets */
  UpstreamLook(boolean secrets) {
    this.secrets = secrets ? new TriggerLook() : null;
  }

  @Override
  public void feed(byte[] b, int from, int to) {
    strings.feed(b, from, to);
    if (secrets != null) {
      secrets.feed(b, from, to);
    }
    task.feed(b, from, to);
    error.feed(b, from, to);
    inputRequired.feed(b, from, to);
  }

  @Override
  public void ended(int length) {
    strings.ended(length);
    if (secrets != null) {
      secrets.ended(length);
    }
    task.ended(length);
    error.ended(length);
    inputRequired.ended(length);
  }

  /** The long strings validated while the frame was read (null: none). */
  LongStrings.Hints hints() {
    return strings.hints();
  }

  /** The secret-trigger look, complete or not; null when results are not redacted. */
  TriggerLook secrets() {
    return secrets;
  }

  @Override
  public boolean mayCreateTask() {
    return task.found();
  }

  @Override
  public boolean mayBeError() {
    return error.found();
  }

  @Override
  public boolean mayAskForInput() {
    return inputRequired.found();
  }
}
