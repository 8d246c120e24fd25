package io.github.mcppolicyproxy.errors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailuresTest {
  @TempDir
  Path dir;

  @Test
  void aMissingFileIsNamedWithoutTheExceptionsClassName() {
    Path missing = dir.resolve("nope/log.jsonl");
    IOException e = null;
    try {
      Files.newInputStream(missing);
    } catch (IOException x) {
      e = x;
    }
    assertThat(Failures.io(e)).isEqualTo(missing + ": no such file or directory");
  }

  @Test
  void aFileInTheWayOfADirectoryIsSaidSo() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");
    IOException e = null;
    try {
      Files.createDirectories(file.resolve("sub"));
    } catch (IOException x) {
      e = x;
    }
    assertThat(Failures.io(e)).startsWith(file.toString())
        .matches(".*(exists and is not a directory|a part of this path is a file, not a directory)")
        .doesNotContain("Exception");
  }

  @Test
  void jsonSyntaxErrorsGiveTheParsersWordsAndPositionNeverTheRedactedSource() {
    JsonProcessingException e = null;
    try {
      new ObjectMapper().readTree("{\"a\":\n tru}");
    } catch (JsonProcessingException x) {
      e = x;
    }
    assertThat(e.getMessage()).contains("REDACTED"); // what Jackson would have shown
    assertThat(Failures.io(e)).startsWith("Unrecognized token 'tru'").endsWith("at line 2, column 5")
        .doesNotContain("REDACTED").doesNotContain("Source");
  }
}
