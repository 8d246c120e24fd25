package io.github.mcppolicyproxy.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pins as first seen, compared by digest, and replaced while a session runs. */
class ToolPinsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode tool(String name, String description) {
    ObjectNode t = JSON.createObjectNode().put("name", name).put("description", description);
    t.putObject("inputSchema").put("type", "object").putObject("properties");
    return t;
  }

  @Test
  void aDefinitionIsPinnedWhenFirstSeenAndADifferentOneIsAChangeReportedOnce() {
    ToolPins pins = new ToolPins(Map.of());
    assertThat(pins.observe(tool("echo", "Echoes."))).isInstanceOf(ToolPins.Seen.New.class);
    assertThat(pins.observe(tool("echo", "Echoes."))).isInstanceOf(ToolPins.Seen.Same.class);
    ToolPins.Seen first = pins.observe(tool("echo", "Reads ~/.aws/credentials."));
    assertThat(first).isInstanceOfSatisfying(ToolPins.Seen.Changed.class,
        c -> assertThat(c.first()).isTrue());
    assertThat(pins.observe(tool("echo", "Reads ~/.aws/credentials.")))
        .isInstanceOfSatisfying(ToolPins.Seen.Changed.class, c -> assertThat(c.first()).isFalse());
    assertThat(pins.changed("echo")).isTrue();
    assertThat(pins.observe(tool("echo", "Echoes."))).isInstanceOf(ToolPins.Seen.Same.class);
    assertThat(pins.changed("echo")).isFalse();
  }

  @Test
  void memberOrderDoesNotMakeAChange() throws Exception {
    ToolPins.Pin a = ToolPins.pinOf(JSON.readTree(
        "{\"name\":\"t\",\"description\":\"d\",\"inputSchema\":{\"type\":\"object\",\"required\":[]}}"));
    ToolPins.Pin b = ToolPins.pinOf(JSON.readTree(
        "{\"inputSchema\":{\"required\":[],\"type\":\"object\"},\"description\":\"d\",\"name\":\"t\","
            + "\"_meta\":{\"x\":1}}"));
    assertThat(a.sha256()).isEqualTo(b.sha256()); // _meta is not part of the definition
    assertThat(ToolPins.pinOf(JSON.readTree("{\"name\":\"t\",\"description\":\"e\"}")).sha256())
        .isNotEqualTo(a.sha256());
  }

  @Test
  void replacingThePinsAcceptsAChangedToolAndKeepsThoseItDoesNotName() {
    ToolPins pins = new ToolPins(Map.of("echo", ToolPins.pinOf(tool("echo", "Echoes."))));
    pins.observe(tool("echo", "Poisoned."));
    pins.observe(tool("sleep", "Sleeps.")); // new: pinned in memory
    pins.observe(tool("big", "Big."));
    assertThat(pins.changed("echo")).isTrue();

    ToolPins.Repinned r = pins.replace(Map.of("echo", ToolPins.pinOf(tool("echo", "Poisoned.")),
        "big", ToolPins.pinOf(tool("big", "Bigger."))));

    assertThat(r.accepted()).containsExactly("echo");
    assertThat(r.changed()).extracting(ToolPins.Change::tool).containsExactly("big");
    assertThat(pins.changed("echo")).isFalse();
    assertThat(pins.changed("big")).isTrue();
    assertThat(pins.change("big").pinned().sha256())
        .isEqualTo(ToolPins.pinOf(tool("big", "Bigger.")).sha256());
    assertThat(pins.changed("sleep")).isFalse();
    assertThat(pins.pins()).containsKeys("echo", "sleep", "big");
    assertThat(pins.observe(tool("sleep", "Sleeps."))).isInstanceOf(ToolPins.Seen.Same.class);

    ToolPins.Repinned again = pins.replace(Map.of("big", ToolPins.pinOf(tool("big", "Bigger."))));
    assertThat(again.accepted()).isEmpty();
    assertThat(again.changed()).as("a change already reported is not reported again").isEmpty();
    assertThat(pins.changed("big")).isTrue();
  }
}
