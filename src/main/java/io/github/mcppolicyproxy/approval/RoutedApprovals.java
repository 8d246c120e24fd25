package io.github.mcppolicyproxy.approval;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mcppolicyproxy.jsonrpc.Envelope;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The client's elicitation channel with an out-of-band channel beside it: as a fallback for
 * clients that cannot be asked, or first for every approval.
 */
public final class RoutedApprovals implements ApprovalChannel {
  private final ApprovalChannel client;
  private final OutOfBandApprovals outOfBand;
  private final boolean first;

  /** @param first send every approval out of band, even when the client could be asked */
  public RoutedApprovals(ApprovalChannel client, OutOfBandApprovals outOfBand, boolean first) {
    this.client = Objects.requireNonNull(client, "client");
    this.outOfBand = Objects.requireNonNull(outOfBand, "outOfBand");
    this.first = first;
  }

  @Override
  public OutOfBandApprovals outOfBand() {
    return outOfBand;
  }

  @Override
  public boolean outOfBandFirst() {
    return first;
  }

  @Override
  public void clientCapabilities(JsonNode capabilities) {
    client.clientCapabilities(capabilities);
  }

  @Override
  public boolean offer(Envelope e, byte[] frame) {
    return client.offer(e, frame);
  }

  @Override
  public boolean available() {
    return client.available();
  }

  @Override
  public CompletableFuture<Answer> ask(String question, Duration timeout) {
    return client.ask(question, timeout);
  }
}
