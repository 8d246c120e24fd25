package io.github.mcppolicyproxy.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The out-of-band channel's directory: private to its user, and checked on every read. */
class ApprovalsDirectoryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ID = "0123456789abcdef0123456789abcdef";

  @TempDir
  Path tmp;

  private static String perms(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void itIsCreated0700AndItsFiles0600() throws Exception {
    ApprovalsDirectory d = ApprovalsDirectory.open(tmp.resolve("a/approvals"), JSON);

    d.writeRequest(ID, JSON.createObjectNode().put("id", ID));
    d.writeAnswer(ID, JSON.createObjectNode().put("decision", "approve"));

    assertThat(perms(d.path())).isEqualTo("rwx------");
    assertThat(perms(d.path().resolve(ID + ".request.json"))).isEqualTo("rw-------");
    assertThat(perms(d.path().resolve(ID + ".answer.json"))).isEqualTo("rw-------");
    assertThat(d.heldIds()).containsExactly(ID);
    assertThat(d.readAnswer(ID).orElseThrow().path("decision").asText()).isEqualTo("approve");
    try (var s = Files.list(d.path())) {
      assertThat(s.filter(p -> p.getFileName().toString().startsWith(".tmp"))).isEmpty();
    }
    d.remove(ID);
    assertThat(d.heldIds()).isEmpty();
  }

  @Test
  void aDirectoryOpenToTheGroupOrTheWorldIsRefused() throws Exception {
    for (String p : new String[] {"rwxrwx---", "rwx---rwx", "rwxr-x---", "rwx-----x"}) {
      Path dir = Files.createDirectory(tmp.resolve("d" + p.replace('-', '_')));
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(p));
      assertThatThrownBy(() -> ApprovalsDirectory.open(dir, JSON)).as(p)
          .isInstanceOf(IOException.class).hasMessageContaining("open to other users")
          .hasMessageContaining("chmod 700");
    }
  }

  @Test
  void aSymbolicLinkIsRefusedAsTheDirectoryAndAsAFile() throws Exception {
    ApprovalsDirectory real = ApprovalsDirectory.open(tmp.resolve("real"), JSON);
    Path link = Files.createSymbolicLink(tmp.resolve("link"), real.path());
    assertThatThrownBy(() -> ApprovalsDirectory.open(link, JSON))
        .hasMessageContaining("not a directory");

    Path elsewhere = Files.writeString(tmp.resolve("planted.json"), "{\"decision\":\"approve\"}");
    Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rw-------"));
    Files.createSymbolicLink(real.path().resolve(ID + ".answer.json"), elsewhere);
    assertThatThrownBy(() -> real.readAnswer(ID)).hasMessageContaining("not a regular file");
  }

  @Test
  void anAnswerFileReadableByOthersIsRefusedAndOnlyAHeldCallCanBeAnswered() throws Exception {
    ApprovalsDirectory d = ApprovalsDirectory.open(tmp.resolve("x"), JSON);
    assertThatThrownBy(() -> d.writeAnswer(ID, JSON.createObjectNode()))
        .hasMessageContaining("no held call");
    Path answer = Files.writeString(d.path().resolve(ID + ".answer.json"), "{}");
    Files.setPosixFilePermissions(answer, PosixFilePermissions.fromString("rw-rw-rw-"));
    assertThatThrownBy(() -> d.readAnswer(ID)).hasMessageContaining("open to other users");
    assertThatThrownBy(() -> d.readAnswer("../../etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
