package io.github.mcppolicyproxy.proxy;

import io.github.mcppolicyproxy.audit.ViolationLog;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What a session's first calls need is made ready on a thread of its own once the upstream's
 * {@code initialize} answer passes (or after two seconds): not before the upstream starts, not
 * competing with the first answer for the CPU, and not on the first such call. First what the
 * policy's calls need ({@link CallJudge#warmUp}: the AWS CLI model, one decision, a limiter's
 * classes), then what the first refusal needs ({@link CallRefusals#warmUp}: its answer and record).
 * Nothing is counted, answered or written.
 */
final class SessionWarmUp {
  /** How long after the policy's warm-up the first refusal's is made. */
  static final long REFUSAL_DELAY_MS = 250;

  private SessionWarmUp() {}

  /**
   * Starts the warm-up thread.
   *
   * @param now counted down when the first answer is on its way
   * @param judges the policy version in force
   */
  static void start(CountDownLatch now, Supplier<CallJudge> judges, Answers answers,
      ViolationLog log, PrintStream stderr) {
    Thread t = new Thread(() -> {
      try {
        now.await(2, TimeUnit.SECONDS);
        judges.get().warmUp();
        // after the handshake's burst: a first call sent at once (a scripted client) took ~2 ms
        // longer when this ran beside it, and a person's or a model's first call comes later
        Thread.sleep(REFUSAL_DELAY_MS);
        CallRefusals.warmUp(answers, log);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        stderr.println("mcp-policy-proxy: could not make ready ahead what the session's first"
            + " calls need (" + e + "); the first such call does it");
      }
    }, "policy-warm-up");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }
}
