package io.github.mcppolicyproxy.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The proxy's own {@code requestState} for an approval asked with a 2026-07-28 input-required
 * result: {@code mcp-policy-proxy.v1.PAYLOAD.MAC}, where PAYLOAD is base64url JSON binding the tool, the SHA-256
 * of the canonical arguments, the policy's SHA-256, an expiry and a random nonce (plus, when the
 * question interrupted a continuation of the upstream's own multi round-trip, the upstream's
 * state and input responses, restored on the approved retry), and MAC is HMAC-SHA256 over
 * {@code mcp-policy-proxy.v1.PAYLOAD} with a secret drawn at random for this process. A state is redeemed at most
 * once: redeemed nonces are remembered until they expire. Thread-safe.
 */
public final class ApprovalStates {
  /** The prefix of every state this class issues. */
  public static final String PREFIX = "mcp-policy-proxy.v1.";
  private static final String HMAC = "HmacSHA256";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  /** What a state is bound to: one call under one policy. */
  public record Binding(String tool, String argumentsSha256, String policySha256) {
    public Binding {
      Objects.requireNonNull(tool, "tool");
      Objects.requireNonNull(argumentsSha256, "argumentsSha256");
      Objects.requireNonNull(policySha256, "policySha256");
    }
  }

  /**
   * What the state carried besides its binding: the upstream's {@code requestState} and
   * {@code inputResponses} of the request the question interrupted (null when there were none),
   * and whether that request continued a call the upstream had asked input for.
   */
  public record Carried(String upstreamState, JsonNode upstreamResponses, boolean continuation) {
    /** Nothing carried. */
    public static final Carried NONE = new Carried(null, null, false);
  }

  /** The outcome of redeeming a state. */
  public sealed interface Redemption {
    /** Valid, bound to the call, unexpired and not used before; now used. */
    record Valid(Carried carried) implements Redemption {}

    /** Past its expiry. */
    record Expired() implements Redemption {}

    /** Not acceptable, with the reason (altered, foreign, replayed, another call or policy). */
    record Invalid(String reason) implements Redemption {}
  }

  private final Clock clock;
  private final ObjectMapper mapper;
  private final SecureRandom random;
  private final SecretKeySpec key;
  private final Map<String, Instant> redeemed = new ConcurrentHashMap<>();

  /** A sealer with a fresh random secret; states of another instance (or process) never verify. */
  public ApprovalStates(Clock clock, ObjectMapper mapper, SecureRandom random) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.random = Objects.requireNonNull(random, "random");
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    this.key = new SecretKeySpec(secret, HMAC);
  }

  /** Issues a state for {@code binding}, valid until {@code expiry}, carrying {@code carried}. */
  public String seal(Binding binding, Instant expiry, Carried carried) {
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    ObjectNode p = mapper.createObjectNode();
    p.put("tool", binding.tool());
    p.put("args", binding.argumentsSha256());
    p.put("policy", binding.policySha256());
    p.put("exp", expiry.toEpochMilli());
    p.put("nonce", B64.encodeToString(nonce));
    if (carried.upstreamState() != null) {
      p.put("upstreamState", carried.upstreamState());
    }
    if (carried.upstreamResponses() != null) {
      p.set("upstreamResponses", carried.upstreamResponses());
    }
    if (carried.continuation()) {
      p.put("continuation", true);
    }
    String body;
    try {
      body = PREFIX + B64.encodeToString(mapper.writeValueAsBytes(p));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write an approval state", e);
    }
    return body + "." + B64.encodeToString(mac(body));
  }

  /**
   * Checks {@code state} against the call it is presented with and, when it is good, marks it
   * used. Checks run in this order: integrity, binding (tool, arguments, policy), expiry, reuse.
   */
  public Redemption redeem(String state, Binding presented) {
    if (state == null || !state.startsWith(PREFIX)) {
      return new Redemption.Invalid("the retry does not carry the requestState this proxy issued");
    }
    int dot = state.lastIndexOf('.');
    if (dot <= PREFIX.length()) {
      return new Redemption.Invalid("the requestState is malformed");
    }
    String body = state.substring(0, dot);
    byte[] given;
    try {
      given = B64D.decode(state.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return new Redemption.Invalid("the requestState is malformed");
    }
    if (!MessageDigest.isEqual(mac(body), given)) {
      return new Redemption.Invalid("the requestState was altered or was not issued by this proxy"
          + " process");
    }
    JsonNode p;
    try {
      p = mapper.readTree(B64D.decode(body.substring(PREFIX.length())));
    } catch (IOException | IllegalArgumentException e) {
      return new Redemption.Invalid("the requestState is malformed");
    }
    if (!presented.tool().equals(p.path("tool").asText())) {
      return new Redemption.Invalid("the requestState was issued for another tool ("
          + p.path("tool").asText() + ")");
    }
    if (!presented.argumentsSha256().equals(p.path("args").asText())) {
      return new Redemption.Invalid("the requestState was issued for the same tool with other"
          + " arguments");
    }
    if (!presented.policySha256().equals(p.path("policy").asText())) {
      return new Redemption.Invalid("the policy changed since the approval was asked");
    }
    Instant now = clock.instant();
    Instant expiry = Instant.ofEpochMilli(p.path("exp").asLong());
    if (!now.isBefore(expiry)) {
      return new Redemption.Expired();
    }
    forgetExpired(now);
    if (redeemed.putIfAbsent(p.path("nonce").asText(), expiry) != null) {
      return new Redemption.Invalid("the requestState was already used once");
    }
    JsonNode up = p.get("upstreamState");
    JsonNode responses = p.get("upstreamResponses");
    return new Redemption.Valid(new Carried(up == null ? null : up.asText(), responses,
        p.path("continuation").asBoolean(false)));
  }

  /** How many used states are remembered (they are forgotten once expired). */
  int remembered() {
    return redeemed.size();
  }

  private void forgetExpired(Instant now) {
    for (Iterator<Map.Entry<String, Instant>> it = redeemed.entrySet().iterator(); it.hasNext(); ) {
      if (!now.isBefore(it.next().getValue())) {
        it.remove();
      }
    }
  }

  private byte[] mac(String body) {
    try {
      Mac m = Mac.getInstance(HMAC);
      m.init(key);
      return m.doFinal(body.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
