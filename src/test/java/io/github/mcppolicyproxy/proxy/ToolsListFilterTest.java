package io.github.mcppolicyproxy.proxy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ToolsListFilterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ToolsListFilter filter = new ToolsListFilter(Set.of("delete_all", "secret")::contains);

  @Test
  void refusedToolsAreRemovedAndEveryOtherMemberIsKept() throws Exception {
    byte[] frame = """
        {"jsonrpc":"2.0","id":3,"result":{"tools":[
          {"name":"read","description":"reads","inputSchema":{"type":"object"}},
          {"name":"delete_all","inputSchema":{}},
          {"name":"secret"}],
         "nextCursor":"page-2","_meta":{"x":1}},"extra":true}""".getBytes(UTF_8);

    JsonNode out = JSON.readTree(filter.filter(frame));

    assertThat(out.path("result").path("tools")).hasSize(1);
    assertThat(out.path("result").path("tools").get(0).get("name").asText()).isEqualTo("read");
    assertThat(out.path("result").path("tools").get(0).get("description").asText()).isEqualTo("reads");
    assertThat(out.path("result").get("nextCursor").asText()).isEqualTo("page-2");
    assertThat(out.path("result").get("_meta").get("x").asInt()).isEqualTo(1);
    assertThat(out.get("extra").asBoolean()).isTrue();
    assertThat(out.get("id").asInt()).isEqualTo(3);
  }

  @Test
  void frameWithNothingToRemoveIsReturnedAsTheSameBytes() {
    byte[] frame = """
        {"jsonrpc":"2.0", "id":1.10,"result":{"tools":[{"name":"read","n":1.50}],"nextCursor":null}}""".getBytes(UTF_8);

    assertThat(filter.filter(frame)).isSameAs(frame);
  }

  @Test
  void answerWithoutAToolsArrayIsPassedAsItCame() {
    byte[] error = "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-1,\"message\":\"x\"}}".getBytes(UTF_8);
    byte[] broken = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":{}}}".getBytes(UTF_8);

    assertThat(filter.filter(error)).isSameAs(error);
    assertThat(filter.filter(broken)).isSameAs(broken);
  }

  @Test
  void removingAToolKeepsEveryOtherByteAsTheUpstreamWroteIt() {
    String frame = "{\"jsonrpc\":\"2.0\",\"id\":1.10,\"result\":{\"tools\":["
        + "{\"name\":\"read\",\"n\":1e400,\"x\":\"\u00e9\"},{\"name\":\"secret\"},"
        + "{\"name\":\"write\",\"v\":-0}],\"nextCursor\":\"c\"},\"vendor\":1.50}";

    String out = new String(filter.filter(frame.getBytes(UTF_8)), UTF_8);

    assertThat(out).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1.10,\"result\":{\"tools\":["
        + "{\"name\":\"read\",\"n\":1e400,\"x\":\"\u00e9\"},{\"name\":\"write\",\"v\":-0}],"
        + "\"nextCursor\":\"c\"},\"vendor\":1.50}");
  }

  @Test
  void aToolWithARepeatedNameIsRemovedIfEitherNameIsRefused() throws Exception {
    byte[] frame = ("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":["
        + "{\"name\":\"secret\",\"name\":\"read\"},{\"name\":\"read\",\"name\":\"secret\"}]}}")
        .getBytes(UTF_8);

    assertThat(JSON.readTree(filter.filter(frame)).path("result").path("tools")).isEmpty();
  }

  @Test
  void aFilteredListIsNoLongerPublicButAnUnfilteredOneKeepsItsScope() {
    String list = """
        {"jsonrpc":"2.0","id":"a","result":{"resultType":"complete","cacheScope":"public",\
        "tools":[{"name":"read"},TOOLS],"ttlMs":60000}}""";
    byte[] filtered = list.replace("TOOLS", "{\"name\":\"secret\"}").getBytes(UTF_8);
    byte[] untouched = list.replace("TOOLS", "{\"name\":\"write\"}").getBytes(UTF_8);

    String out = new String(filter.filter(filtered), UTF_8);

    assertThat(out).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"result\":{\"resultType\":"
        + "\"complete\",\"cacheScope\":\"private\",\"tools\":[{\"name\":\"read\"}],\"ttlMs\":60000}}");
    assertThat(filter.filter(untouched)).isSameAs(untouched);
    byte[] after = ("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":\"secret\"}],"
        + "\"cacheScope\":\"public\",\"_meta\":{\"cacheScope\":\"public\"}}}").getBytes(UTF_8);
    assertThat(new String(filter.filter(after), UTF_8)).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1,"
        + "\"result\":{\"tools\":[],\"cacheScope\":\"private\",\"_meta\":{\"cacheScope\":\"public\"}}}");
  }

  @Test
  void underALivePolicyAFilteredListIsImmediatelyStaleAnUnfilteredOneKeepsItsBytes() {
    ToolsListFilter live = new ToolsListFilter(Set.of("secret")::contains, true);
    String list = """
        {"jsonrpc":"2.0","id":"a","result":{"resultType":"complete","ttlMs":60000,\
        "tools":[{"name":"read"},TOOLS],"cacheScope":"public"}}""";
    byte[] filtered = list.replace("TOOLS", "{\"name\":\"secret\"}").getBytes(UTF_8);
    byte[] untouched = list.replace("TOOLS", "{\"name\":\"write\"}").getBytes(UTF_8);

    assertThat(new String(live.filter(filtered), UTF_8)).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":"
        + "\"a\",\"result\":{\"resultType\":\"complete\",\"ttlMs\":0,\"tools\":[{\"name\":"
        + "\"read\"}],\"cacheScope\":\"private\"}}");
    assertThat(live.filter(untouched)).isSameAs(untouched);
    // a private list with a ttl: only the ttl changes; an already stale one: nothing
    byte[] priv = ("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"cacheScope\":\"private\","
        + "\"ttlMs\":1.5e3,\"tools\":[{\"name\":\"secret\"}]}}").getBytes(UTF_8);
    assertThat(new String(live.filter(priv), UTF_8)).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":2,"
        + "\"result\":{\"cacheScope\":\"private\",\"ttlMs\":0,\"tools\":[]}}");
    byte[] stale = ("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"ttlMs\":0,\"tools\":"
        + "[{\"name\":\"secret\"}]}}").getBytes(UTF_8);
    assertThat(new String(live.filter(stale), UTF_8)).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":3,"
        + "\"result\":{\"ttlMs\":0,\"tools\":[]}}");
  }
}
