/**
 * The two pumps between an MCP client and the upstream server, and the bookkeeping between them.
 *
 * <h2>What passes</h2>
 *
 * <p>What the upstream executes is exactly what the policy judged. A {@code tools/call} is forwarded
 * byte for byte only after it was judged on a tree built from those bytes; it is never forwarded
 * when a member appears twice anywhere in it (or {@code jsonrpc}, {@code id}, {@code method} or
 * {@code params} twice at the top of any frame), when it is a notification (recorded in the
 * violation log with code {@code invalid_request}), when its id is null or not a string or number,
 * or when {@code params}, {@code params.name} or {@code params.arguments} has the wrong type. Names
 * are compared exactly (no case folding, no Unicode normalisation), after JSON escapes are decoded.
 * A batch is judged element by element; an empty batch, a batch inside a batch and elements that
 * are not JSON-RPC messages are answered with -32600, frames that are not JSON (or not UTF-8, or
 * hold a NUL byte or a BOM) with -32700 and id null. From the upstream, anything that is not a
 * JSON-RPC message (also inside a batch) is reported on stderr and never reaches the client.
 *
 * <p>A call that needs a person's approval is held by {@link ToolsCallGate} while the
 * {@link io.github.mcppolicyproxy.approval.ApprovalChannel} asks (the client pump goes on with other
 * frames); when the answer or the timeout arrives, exactly the held bytes are forwarded, or the
 * refusal is answered, from the thread that delivered it.
 *
 * <p>A forwarded call the upstream answers with a task (2026-07-28 tasks extension, or the
 * experimental tasks of 2025-11-25) does not end there: {@link TaskTracker} keeps its quota
 * reservation and logs the task until a terminal status passes (a failed or cancelled task is
 * refunded like a call the upstream failed).
 *
 * <h2>Limits</h2>
 *
 * <ul>
 *   <li><b>Frame size</b> ({@code --max-frame-bytes}, default 64 MiB, both directions): a longer
 *       line is answered with -32003 as soon as the limit is passed (its id is taken from its first
 *       4 KiB) and the rest of it is skipped without being kept. Each reader holds at most one
 *       frame (twice the frame while its segments are copied out), whatever the input; add the queue
 *       below for the client side. A 100 MB line without a newline, under {@code -Xmx64m} with an
 *       8 MiB limit, peaked at 81-91 MiB RSS for the whole JVM.
 *   <li><b>Nesting</b>: the envelope scan follows at most 100,000 levels (deeper: -32700); a
 *       {@code tools/call} is judged on a tree of at most 1,000 levels (deeper: -32600, not
 *       forwarded), so what recurses over a tree (hashing, predicates) is bounded by 1,000.
 *   <li><b>Requests waiting for the upstream</b> ({@code --max-pending}, default 10,000): beyond
 *       it a request is answered with -32004 and not forwarded.
 *   <li><b>Frames waiting for the upstream to read them</b> ({@link UpstreamQueue};
 *       {@code --max-queued-bytes}, default 16 MiB, and 10,000 frames): when nothing is queued,
 *       the thread that read a frame writes it to the upstream's stdin itself (no hand-off, no
 *       wake-up per frame); otherwise frames queue for a writer thread of their own. An upstream
 *       that stops reading never stops the client pump: when an inline write has blocked for 50 ms
 *       a standby thread takes over reading the client ({@link ReadingBaton}), so refusals are
 *       still answered, and the server-to-client direction is independent. When
 *       the queue is full, a frame holding requests is not queued and its requests are answered
 *       with -32004; a notification or response waits for room (backpressure), since it cannot be
 *       answered and must not be lost. One frame larger than the bound passes when the queue is
 *       empty. At most one frame beyond the queue is held by the client pump.
 *   <li><b>Shutdown</b>: on client EOF the queue gets {@code --shutdown-grace-ms} to drain, the
 *       upstream the same grace to exit after its stdin is closed, then it and its descendants get
 *       SIGTERM and, 500 ms later, SIGKILL. On SIGTERM/SIGINT the same runs from a shutdown hook;
 *       the upstream's stdin is closed without waiting, so a write stuck on a full pipe cannot stall
 *       it.
 *   <li><b>Tasks followed</b> ({@link TaskTracker}): at most 1,000 at once, each for its
 *       {@code ttl} and at most 24 hours; beyond either it ends as {@code expired} and keeps its
 *       permits.
 *   <li><b>Violation log</b>: a refusal is answered only after its line was written to the file;
 *       if that fails, the whole record goes to stderr after
 *       {@code mcp-policy-proxy: VIOLATION-LOG-UNWRITTEN } and the answer is still sent. The file is
 *       reopened (recreated if removed) before each record and on each {@code --require-audit}
 *       check; a write that fails halfway is cut back, so the file never holds a torn line. A disk
 *       that fills up while the log is up is noticed only by the next write.
 * </ul>
 */
package io.github.mcppolicyproxy.proxy;
