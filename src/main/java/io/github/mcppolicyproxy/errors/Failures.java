package io.github.mcppolicyproxy.errors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Says in words what went wrong with a file or a JSON text, for people: never a Java class name, a
 * stack trace or a library's internal note (Jackson's "REDACTED (StreamReadFeature...)"). Used
 * wherever an exception's message would otherwise reach an operator or a client.
 */
public final class Failures {
  private Failures() {}

  /**
   * What a file-system failure means, e.g. {@code "/x/y: no such file or directory"} or
   * {@code "/etc: permission denied"}; names the file the failure is about.
   */
  public static String io(IOException e) {
    if (e instanceof FileSystemException f) {
      String file = f.getFile() == null ? "" : f.getFile();
      String other = f.getOtherFile() == null ? "" : " -> " + f.getOtherFile();
      String what;
      if (e instanceof NoSuchFileException) {
        what = "no such file or directory";
      } else if (e instanceof AccessDeniedException) {
        what = "permission denied";
      } else if (e instanceof FileAlreadyExistsException) {
        what = "exists and is not a directory";
      } else if (e instanceof NotDirectoryException) {
        what = "is not a directory";
      } else if ("Not a directory".equals(f.getReason())) {
        what = "a part of this path is a file, not a directory";
      } else if (e instanceof DirectoryNotEmptyException) {
        what = "is a directory that is not empty";
      } else if (e instanceof FileSystemLoopException) {
        what = "is a loop of symbolic links";
      } else {
        what = reasonOf(f);
      }
      return file.isEmpty() ? what : file + other + ": " + what;
    }
    if (e instanceof JsonProcessingException j) {
      return json(j);
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? "input/output error" : firstLine(m);
  }

  /**
   * A JSON syntax problem as {@code "Unexpected character ('d' ...) at line 2, column 13"}: the
   * parser's own words and the position, without the source excerpt Jackson may redact.
   */
  public static String json(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    m = m == null || m.isBlank() ? "malformed JSON" : firstLine(m);
    JsonLocation at = e.getLocation();
    if (at != null && at.getLineNr() > 0) {
      m += " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }
    return m;
  }

  private static String reasonOf(FileSystemException f) {
    String r = f.getReason();
    if (r == null || r.isBlank()) {
      return "cannot be used";
    }
    // the platform's words ("Is a directory", "Read-only file system"), in our lower case
    return r.substring(0, 1).toLowerCase(Locale.ROOT) + r.substring(1);
  }

  private static String firstLine(String m) {
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).strip();
  }
}
