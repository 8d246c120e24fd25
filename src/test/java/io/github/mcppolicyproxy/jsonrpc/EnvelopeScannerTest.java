package io.github.mcppolicyproxy.jsonrpc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcppolicyproxy.jsonrpc.Envelope.Kind;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeScannerTest {
  private final EnvelopeScanner scanner = new EnvelopeScanner(1 << 20);

  private Envelope scan(String json) {
    return scanner.scan(json.getBytes(UTF_8));
  }

  @Test
  void objectWithMethodAndIdIsARequest() {
    Envelope e = scan("""
        {"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"x","arguments":{}}}""");

    assertThat(e.kind()).isEqualTo(Kind.REQUEST);
    assertThat(e.method()).isEqualTo("tools/call");
    assertThat(e.id().raw()).isEqualTo("7");
    assertThat(e.duplicateKey()).isNull();
    assertThat(e.problem()).isNull();
  }

  @Test
  void objectWithMethodAndNoIdIsANotification() {
    Envelope e = scan("""
        {"jsonrpc":"2.0","method":"notifications/initialized"}""");

    assertThat(e.kind()).isEqualTo(Kind.NOTIFICATION);
    assertThat(e.id()).isNull();
  }

  @Test
  void requestWithNullIdIsARequestWithTheNullId() {
    Envelope e = scan("""
        {"jsonrpc":"2.0","id":null,"method":"ping"}""");

    assertThat(e.kind()).isEqualTo(Kind.REQUEST);
    assertThat(e.id()).isEqualTo(JsonId.NULL);
  }

  @Test
  void objectWithResultOrErrorIsAResponse() {
    assertThat(scan("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":null}").kind()).isEqualTo(Kind.RESPONSE);
    Envelope err = scan("""
        {"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"x"}}""");
    assertThat(err.kind()).isEqualTo(Kind.RESPONSE);
    assertThat(err.id()).isEqualTo(JsonId.NULL);
  }

  @Test
  void arrayIsABatch() {
    assertThat(scan("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]").kind())
        .isEqualTo(Kind.BATCH);
    assertThat(scan("[]").kind()).isEqualTo(Kind.BATCH);
    assertThat(scan("[]").elements()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "{\"jsonrpc\":\"2.0\",\"id\":1}", "42", "\"text\"", "null", "true",
      "{\"method\":5,\"id\":1}"})
  void validJsonThatIsNoJsonRpcMessageIsOther(String json) {
    assertThat(scan(json).kind()).isEqualTo(Kind.OTHER);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "{", "{\"id\":1,}", "{'id':1}", "{\"id\":01}", "[1,]", "NaN",
      "{\"a\":1} x", "{\"a\":1}{\"b\":2}", "1 2", "{\"id\":1} // comment"})
  void notOneJsonValueIsInvalid(String json) {
    Envelope e = scan(json);

    assertThat(e.kind()).isEqualTo(Kind.INVALID);
    assertThat(e.problem()).isNotBlank();
  }

  @Test
  void trailingGarbageAfterARequestIsInvalidNotARequest() {
    Envelope e = scan("""
        {"jsonrpc":"2.0","id":1,"method":"tools/call"}garbage""");

    assertThat(e.kind()).isEqualTo(Kind.INVALID);
  }

  @Test
  void trailingWhitespaceIsFine() {
    assertThat(scan("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}  \r").kind())
        .isEqualTo(Kind.REQUEST);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.10", "1e400", "-0", "\"a\\u0062\"", "123456789012345678901234567890",
      "\"𝄞 music\"", "-1.5E-7", "0", "\"\""})
  void rawIdTextIsEchoedExactly(String id) {
    Envelope e = scan("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"ping\"}");

    assertThat(e.kind()).isEqualTo(Kind.REQUEST);
    assertThat(e.id().raw()).isEqualTo(id);
  }

  @Test
  void rawIdIsEchoedExactlyWhenTheIdComesAfterParams() {
    Envelope e = scan("{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"params\":{\"é\":[1,2]},\"id\":  1.10 }");

    assertThat(e.id().raw()).isEqualTo("1.10");
  }

  @Test
  void numericIdsThatAreTheSameNumberShareAKey() {
    JsonId one = scan("{\"id\":1,\"result\":1}").id();
    JsonId onePointZero = scan("{\"id\":1.0,\"result\":1}").id();
    JsonId exp = scan("{\"id\":1e0,\"result\":1}").id();

    assertThat(onePointZero.key()).isEqualTo(one.key());
    assertThat(exp.key()).isEqualTo(one.key());
    assertThat(onePointZero.raw()).isEqualTo("1.0");
    assertThat(scan("{\"id\":2,\"result\":1}").id().key()).isNotEqualTo(one.key());
  }

  @Test
  void stringAndNumberIdsNeverShareAKey() {
    assertThat(scan("{\"id\":\"1\",\"result\":1}").id().key())
        .isNotEqualTo(scan("{\"id\":1,\"result\":1}").id().key());
  }

  @Test
  void escapedStringIdHasTheKeyOfItsDecodedValue() {
    JsonId escaped = scan("{\"id\":\"a\\u0062\",\"result\":1}").id();
    JsonId plain = scan("{\"id\":\"ab\",\"result\":1}").id();

    assertThat(escaped.key()).isEqualTo(plain.key());
    assertThat(escaped.raw()).isEqualTo("\"a\\u0062\"");
  }

  @Test
  void repeatedTopLevelMemberIsReported() {
    Envelope e = scan("""
        {"jsonrpc":"2.0","id":1,"method":"ping","method":"tools/call"}""");

    assertThat(e.duplicateKey()).isEqualTo("method");
  }

  @Test
  void repeatedNestedMemberIsNotATopLevelDuplicate() {
    Envelope e = scan("""
        {"jsonrpc":"2.0","id":1,"method":"ping","params":{"a":1,"a":2}}""");

    assertThat(e.duplicateKey()).isNull();
  }

  @Test
  void overlongEncodingIsInvalidUtf8() {
    byte[] frame = bytes("{\"id\":1,\"method\":\"", 0xC0, 0xAF, "\"}");

    Envelope e = scanner.scan(frame);

    assertThat(e.kind()).isEqualTo(Kind.INVALID);
    assertThat(e.problem()).isEqualTo("invalid UTF-8 at byte 18");
  }

  @Test
  void encodedSurrogateIsInvalidUtf8() {
    assertThat(scanner.scan(bytes("{\"id\":\"", 0xED, 0xA0, 0x80, "\"}")).kind())
        .isEqualTo(Kind.INVALID);
  }

  @Test
  void truncatedSequenceIsInvalidUtf8() {
    assertThat(scanner.scan(bytes("{\"id\":\"", 0xF0, 0x9D, 0x84, "\"}")).kind())
        .isEqualTo(Kind.INVALID);
    assertThat(scanner.scan(bytes("\"", 0xE2, 0x82)).kind()).isEqualTo(Kind.INVALID);
  }

  @Test
  void tenThousandLevelsOfNestingAreScannedWithoutOverflowingTheStack() {
    int depth = 10_000;
    String params = "[".repeat(depth) + "]".repeat(depth);
    String objects = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);

    Envelope req = scan("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":{\"p\":" + params
        + ",\"q\":" + objects + "}}");
    Envelope batch = scan("[" + params + "]");

    assertThat(req.kind()).isEqualTo(Kind.REQUEST);
    assertThat(batch.kind()).isEqualTo(Kind.BATCH);
    assertThat(batch.elements()).hasSize(1);
  }

  @Test
  void unbalancedDeepNestingIsInvalidNotACrash() {
    assertThat(scan("[".repeat(10_000)).kind()).isEqualTo(Kind.INVALID);
  }

  @Test
  void batchElementsAreLocatedByByteRange() {
    String a = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"é\"}";
    String b = "{\"jsonrpc\":\"2.0\",\"method\":\"n\"}";
    String json = "[ " + a + " ,\n" + b + ",\"𝄞\", 12.5e1 , null,[1,[2]]]";
    byte[] frame = json.getBytes(UTF_8);

    Envelope e = scanner.scan(frame);

    assertThat(e.kind()).isEqualTo(Kind.BATCH);
    assertThat(e.elements().stream().map(r -> new String(frame, r.start(), r.end() - r.start(), UTF_8)))
        .containsExactly(a, b, "\"𝄞\"", "12.5e1", "null", "[1,[2]]");
  }

  @Test
  void scanningARangeEchoesTheRawIdOfThatRange() {
    String a = "{\"jsonrpc\":\"2.0\",\"id\":\"first\",\"method\":\"ping\"}";
    String b = "{\"jsonrpc\":\"2.0\",\"id\":1.50,\"method\":\"tools/list\"}";
    byte[] frame = ("[" + a + "," + b + "]").getBytes(UTF_8);
    Envelope batch = scanner.scan(frame);

    List<Envelope> elements = batch.elements().stream()
        .map(r -> scanner.scan(frame, r.start(), r.end())).toList();

    assertThat(elements).extracting(Envelope::kind).containsExactly(Kind.REQUEST, Kind.REQUEST);
    assertThat(elements.get(0).id().raw()).isEqualTo("\"first\"");
    assertThat(elements.get(1).id().raw()).isEqualTo("1.50");
    assertThat(elements.get(1).method()).isEqualTo("tools/list");
  }

  @Test
  void invalidUtf8InARangeIsReportedRelativeToTheRange() {
    byte[] frame = bytes("xxxx\"", 0xFF, "\"");

    assertThat(scanner.scan(frame, 4, frame.length).problem()).isEqualTo("invalid UTF-8 at byte 1");
  }

  @Test
  void sniffIdFindsTheIdInAPrefixThatEndsLater() {
    assertThat(scanner.sniffId(utf8("{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"tools/call\",\"params\":{\"a\":\"zzz"))
        .raw()).isEqualTo("42");
    assertThat(scanner.sniffId(utf8("{\"jsonrpc\":\"2.0\",\"params\":{\"id\":5},\"id\":\"x\",\"result\":[1,2"))
        .raw()).isEqualTo("\"x\"");
  }

  @Test
  void sniffIdGivesNullWhenThePrefixEndsBeforeTheId() {
    assertThat(scanner.sniffId(utf8("{\"jsonrpc\":\"2.0\",\"params\":{\"a\":\"zz"))).isNull();
    assertThat(scanner.sniffId(utf8("{\"jsonrpc\":\"2.0\",\"i"))).isNull();
    assertThat(scanner.sniffId(utf8("{\"id\":\"abc"))).isNull();
    assertThat(scanner.sniffId(utf8("[{\"id\":1}"))).isNull();
    assertThat(scanner.sniffId(utf8(""))).isNull();
  }

  @Test
  void sniffIdDoesNotTakeANumberCutShortByThePrefixEnd() {
    // The whole frame's id is 12345; a prefix that ends inside it must not claim id 12.
    assertThat(scanner.sniffId(utf8("{\"jsonrpc\":\"2.0\",\"id\":12"))).isNull();
    assertThat(scanner.sniffId(utf8("{\"jsonrpc\":\"2.0\",\"id\":12,")).raw()).isEqualTo("12");
  }

  @Test
  void sniffIdIgnoresIdsThatAreNotStringsNumbersOrNull() {
    assertThat(scanner.sniffId(utf8("{\"id\":{\"x\":1},\"method\":\"a\""))).isNull();
    assertThat(scanner.sniffId(utf8("{\"id\":null,\"method\":\"a\""))).isEqualTo(JsonId.NULL);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }

  /** Concatenates strings (as UTF-8) and single bytes given as ints. */
  static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object p : parts) {
      if (p instanceof String s) {
        out.writeBytes(s.getBytes(UTF_8));
      } else {
        out.write((Integer) p);
      }
    }
    return out.toByteArray();
  }
}
