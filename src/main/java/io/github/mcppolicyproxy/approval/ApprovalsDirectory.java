package io.github.mcppolicyproxy.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The out-of-band approval channel on disk: a directory that only its owner (the user running
 * the proxy) can read, write or enter (0700), holding one {@code ID.request.json} per held call
 * and, once a person decides, one {@code ID.answer.json}; every file 0600 and written whole by an
 * atomic rename. The directory and every file read are checked: owned by this user, no group or
 * other permission, not a symbolic link; anything else is refused, never trusted.
 */
public final class ApprovalsDirectory {
  private static final Set<PosixFilePermission> DIR_PERMS = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE_PERMS = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
  /** A held call's ID: 128 random bits as 32 lower-case hex digits. */
  public static final Pattern ID = Pattern.compile("[0-9a-f]{32}");
  static final String REQUEST = ".request.json";
  static final String ANSWER = ".answer.json";

  private final Path dir;
  private final ObjectMapper mapper;
  private final UserPrincipal me;

  private ApprovalsDirectory(Path dir, ObjectMapper mapper, UserPrincipal me) {
    this.dir = dir;
    this.mapper = mapper;
    this.me = me;
  }

  /**
   * Opens {@code dir}, creating it (and its parents) 0700 when missing; throws when it exists but
   * is not a directory owned by this user with no group or other permission.
   */
  public static ApprovalsDirectory open(Path dir, ObjectMapper mapper) throws IOException {
    Objects.requireNonNull(mapper, "mapper");
    Path d = dir.toAbsolutePath().normalize();
    if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(d.getParent());
      try {
        Files.createDirectory(d, PosixFilePermissions.asFileAttribute(DIR_PERMS));
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // made by a concurrent process: checked below like any existing directory
      }
      Files.setPosixFilePermissions(d, DIR_PERMS); // the umask may have taken bits away
    }
    UserPrincipal me = d.getFileSystem().getUserPrincipalLookupService()
        .lookupPrincipalByName(System.getProperty("user.name"));
    ApprovalsDirectory a = new ApprovalsDirectory(d, mapper, me);
    PosixFileAttributes attrs = a.attributes(d);
    if (!attrs.isDirectory()) {
      throw new IOException(d + " is not a directory (a symbolic link is not accepted either)");
    }
    a.checkPrivate(d, attrs, "directory", "chmod 700");
    return a;
  }

  /** The directory. */
  public Path path() {
    return dir;
  }

  /** Writes {@code ID.request.json} for a held call. */
  public void writeRequest(String id, JsonNode request) throws IOException {
    write(file(id, REQUEST), request);
  }

  /** Writes {@code ID.answer.json}; fails when there is no such held call or it was answered. */
  public void writeAnswer(String id, JsonNode answer) throws IOException {
    if (readRequest(id).isEmpty()) {
      throw new NoSuchFileException(file(id, REQUEST).toString(), null, "no held call has this ID");
    }
    if (Files.exists(file(id, ANSWER), LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("held call " + id + " was already answered");
    }
    write(file(id, ANSWER), answer);
  }

  /** The request of held call {@code id}, if there is one (checked like every file read). */
  public Optional<JsonNode> readRequest(String id) throws IOException {
    return read(file(id, REQUEST));
  }

  /** The answer to held call {@code id}, if one was written (checked like every file read). */
  public Optional<JsonNode> readAnswer(String id) throws IOException {
    return read(file(id, ANSWER));
  }

  /** The IDs of every held call, oldest file first is not promised. */
  public List<String> heldIds() throws IOException {
    List<String> ids = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + REQUEST)) {
      for (Path p : s) {
        String name = p.getFileName().toString();
        String id = name.substring(0, name.length() - REQUEST.length());
        if (ID.matcher(id).matches()) {
          ids.add(id);
        }
      }
    }
    return ids;
  }

  /** Removes the files of held call {@code id} (it was decided or timed out). */
  public void remove(String id) {
    for (String suffix : List.of(REQUEST, ANSWER)) {
      try {
        Files.deleteIfExists(file(id, suffix));
      } catch (IOException e) {
        // left behind: a stale file names a call nobody waits for, and is refused as such
      }
    }
  }

  private Path file(String id, String suffix) {
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("\"" + id + "\" is not a held call's ID (32 hex digits)");
    }
    return dir.resolve(id + suffix);
  }

  private Optional<JsonNode> read(Path f) throws IOException {
    PosixFileAttributes attrs;
    try {
      attrs = attributes(f);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (!attrs.isRegularFile()) {
      throw new IOException(f + " is not a regular file (a symbolic link is not accepted)");
    }
    checkPrivate(f, attrs, "file", "chmod 600");
    if (attrs.size() > 1 << 20) {
      throw new IOException(f + " is larger than 1 MiB");
    }
    return Optional.of(mapper.readTree(Files.readAllBytes(f)));
  }

  private void write(Path target, JsonNode content) throws IOException {
    Path tmp = dir.resolve(".tmp-" + UUID.randomUUID());
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(FILE_PERMS));
      Files.write(tmp, mapper.writeValueAsBytes(content));
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot rename atomically in " + dir, e);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private PosixFileAttributes attributes(Path p) throws IOException {
    return Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .readAttributes();
  }

  private void checkPrivate(Path p, PosixFileAttributes attrs, String what, String fix)
      throws IOException {
    if (!attrs.owner().equals(me)) {
      throw new IOException("the approvals " + what + " " + p + " belongs to " + attrs.owner()
          + ", not to " + me + ": refused");
    }
    Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
    open.addAll(attrs.permissions());
    open.retainAll(OTHERS);
    if (!open.isEmpty()) {
      throw new IOException("the approvals " + what + " " + p + " is open to other users ("
          + PosixFilePermissions.toString(attrs.permissions()) + "): refused; " + fix + " it");
    }
  }
}
