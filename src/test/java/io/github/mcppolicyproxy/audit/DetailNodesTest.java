package io.github.mcppolicyproxy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A detail value made into a node directly writes the same JSON as the mapper's
 * {@code valueToTree} of it, the way every detail was written before: plain types, nested maps
 * and lists, nulls inside them, and the types left to the mapper.
 */
class DetailNodesTest {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
      .build(); // as the proxy's (cli.Wiring)

  record Pojo(String name, int count) {}

  @Test
  void everyKindOfDetailIsWrittenAsValueToTreeWritesIt() throws Exception {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("denied", 2L);
    nested.put("none", null);
    nested.put("list", Arrays.asList(1, "two", null, 3.5, List.of(false)));
    List<Object> values = new ArrayList<>(Arrays.asList(null, "", "plain",
        "quotes \" backslash \\ line\nbreak tab\t control \u0001 é ☃ 😀 \ud800 alone", true, false,
        0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0L, Long.MAX_VALUE, Long.MIN_VALUE,
        1.5, 0.1, -0.0, 1e300, 4.9e-324, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, nested, List.of(), Map.of(), MAPPER.readTree("{\"a\":[1,{\"b\":null}]}"),
        // left to the mapper
        Map.of(1, "an int key"), 1.25f, (short) 7, new BigDecimal("1.10"), new Pojo("x", 3),
        new int[] {1, 2}, 'c'));
    for (Object v : values) {
      String expected = MAPPER.writeValueAsString(MAPPER.valueToTree(v));
      assertThat(MAPPER.writeValueAsString(DetailNodes.node(MAPPER, v)))
          .as(String.valueOf(v)).isEqualTo(expected);
    }
  }
}
