package io.github.mcppolicyproxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Sha256} against the JDK's MessageDigest and the FIPS 180-2 examples. */
class Sha256Test {
  @Test
  void theStandardsExamples() {
    assertThat(hex("")).isEqualTo(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(hex("abc")).isEqualTo(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).isEqualTo(
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  }

  @Test
  void everyLengthAroundTheBlockEdgesAndRandomDataAsMessageDigest() throws Exception {
    Random r = new Random(20261202L);
    MessageDigest jdk = MessageDigest.getInstance("SHA-256");
    for (int len = 0; len < 400; len++) {
      byte[] data = new byte[len];
      r.nextBytes(data);
      assertThat(Sha256.digest(data)).as("length %d", len).isEqualTo(jdk.digest(data));
    }
    byte[] big = new byte[1 << 20];
    r.nextBytes(big);
    assertThat(Sha256.digest(big)).isEqualTo(jdk.digest(big));
  }

  private static String hex(String s) {
    return HexFormat.of().formatHex(Sha256.digest(s.getBytes(StandardCharsets.US_ASCII)));
  }
}
