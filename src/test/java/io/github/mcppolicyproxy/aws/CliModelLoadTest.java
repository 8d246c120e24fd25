package io.github.mcppolicyproxy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcppolicyproxy.aws.CliModel.Command;
import io.github.mcppolicyproxy.aws.CliModel.Service;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The model as {@link CliModel} loads it (the decompressed bytes scanned for line ends, each
 * service's lines decoded on first use) equals the model read line by line with a
 * {@code BufferedReader}, as it was read before: every service with its names, every command with
 * its API name, its argparse table and its subcommands, the global options and the regions.
 */
class CliModelLoadTest {

  /** The model's lines as a BufferedReader gives them: the reference reading. */
  private static List<String> referenceLines() throws IOException {
    try (InputStream raw = CliModel.class.getResourceAsStream(CliModel.RESOURCE);
        BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw),
            StandardCharsets.UTF_8))) {
      List<String> lines = new ArrayList<>();
      for (String line; (line = in.readLine()) != null; ) {
        lines.add(line);
      }
      return lines;
    }
  }

  @Test
  void everyServiceAndCommandIsReadAsTheLineByLineReadingReadsIt() throws IOException {
    Map<String, String[]> servicesByLine = new LinkedHashMap<>();
    Map<String, List<String[]>> commandLinesByService = new LinkedHashMap<>();
    String[] globals = null;
    List<String> regions = List.of();
    String versions = null;
    List<String[]> current = null;
    for (String line : referenceLines()) {
      String[] f = line.split("\t", -1);
      switch (f[0]) {
        case "V" -> versions = "awscli " + f[1] + ", botocore " + f[2];
        case "G" -> globals = f;
        case "R" -> regions = List.of(f[1].split(" "));
        case "S" -> {
          servicesByLine.put(f[1], f);
          current = new ArrayList<>();
          commandLinesByService.put(f[1], current);
        }
        default -> current.add(f);
      }
    }
    CliModel model = CliModel.get();
    assertThat(model.versions()).isEqualTo(versions);
    assertThat(model.globals().actions()).isEqualTo(CliModel.table(globals[3]).actions());
    assertThat(model.regions()).isEqualTo(regions);
    assertThat(model.services().keySet()).containsExactlyElementsOf(servicesByLine.keySet());

    int commands = 0;
    for (Map.Entry<String, String[]> e : servicesByLine.entrySet()) {
      String[] f = e.getValue();
      Service s = model.services().get(e.getKey());
      assertThat(s.cliName()).isEqualTo(f[1]);
      assertThat(s.botocoreName().orElse("-")).isEqualTo(f[2]);
      assertThat(s.signingName().orElse("-")).isEqualTo(f[3]);
      assertThat(s.endpointPrefix().orElse("-")).isEqualTo(f[4]);
      // the service's commands, as its O, C and U lines say, in order
      List<String> expected = new ArrayList<>();
      for (String[] c : commandLinesByService.get(e.getKey())) {
        expected.add(describeLine(c));
      }
      List<String> actual = new ArrayList<>();
      for (Command c : s.commands().values()) {
        actual.add(describe(c, c.apiName().isPresent() ? "O" : "C"));
        for (Command sub : c.subcommands().values()) {
          actual.add(describe(sub, "U"));
        }
      }
      assertThat(actual).as(e.getKey()).containsExactlyElementsOf(expected);
      commands += actual.size();
    }
    assertThat(commands).isEqualTo(commandLinesByService.values().stream().mapToInt(List::size).sum())
        .isGreaterThan(18_000);
  }

  private static String describeLine(String[] f) {
    return f[0] + " " + f[1] + " " + (f[0].equals("O") ? f[2] : "-") + " "
        + CliModel.table(f[3]).actions();
  }

  private static String describe(Command c, String kind) {
    return kind + " " + c.cliName() + " " + c.apiName().orElse("-") + " " + c.table().actions();
  }
}
