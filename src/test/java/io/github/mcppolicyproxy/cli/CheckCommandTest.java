package io.github.mcppolicyproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {

  @Test
  void checkWarnsAboutAnOperationsKeyThatNamesNoAwsServiceButNotAboutCliNames(@TempDir Path dir) throws Exception {
    Path policy = dir.resolve("p.json");
    Files.writeString(policy, """
        {"version": "1", "default": "deny", "tools": {"call_aws": {}}, "operations": {
          "omcis:Start*": {}, "accessanalyzer:List*": {}, "geo:*": {}, "keyspaces:Get*": {}, "*:Describe*": {}}}
        """);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = new Cli(new ByteArrayInputStream(new byte[0]), out,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run("check", policy.toString());
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(code).isZero();
    assertThat(text).contains("warning:").contains("/operations/omcis:Start*").contains("no AWS service is named \"omcis\"")
        .contains("1 warning");
  }
}
