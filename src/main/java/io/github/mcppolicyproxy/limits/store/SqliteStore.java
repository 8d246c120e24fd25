package io.github.mcppolicyproxy.limits.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.sqlite.SQLiteConfig;

/**
 * The embedded store: one SQLite file shared by every proxy process of the user and kept across
 * restarts. WAL journal, a busy timeout, and {@code BEGIN IMMEDIATE} transactions: a take holds
 * the database's one write lock from its first read to its commit, so concurrent processes are
 * serialized and a call takes all its counters or none. Ended windows are deleted as it goes.
 * Not thread-safe: used from one thread (see {@link TimedStore}); reopens after a failure.
 */
public final class SqliteStore implements CounterStore {
  private static final long KEEP_AFTER_END_MS = 60_000;

  private final Path file;
  private final int busyTimeoutMs;
  private Connection db;
  private long takesSincePurge;

  /** Opens (creating, with a 0700 parent directory if missing) the database at {@code file}. */
  public SqliteStore(Path file, int busyTimeoutMs) throws StoreException {
    this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
    this.busyTimeoutMs = busyTimeoutMs;
    connection();
  }

  private Connection connection() throws StoreException {
    if (db != null) {
      return db;
    }
    try {
      Path dir = file.getParent();
      if (dir != null && !Files.isDirectory(dir)) {
        try {
          Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
              PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
          Files.createDirectories(dir);
        }
      }
      SQLiteConfig config = new SQLiteConfig();
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
      config.setBusyTimeout(busyTimeoutMs);
      Connection c = config.createConnection("jdbc:sqlite:" + file);
      try (Statement s = c.createStatement()) {
        s.executeUpdate("CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY,"
            + " scope TEXT NOT NULL, counter TEXT NOT NULL, window_start INTEGER NOT NULL,"
            + " window_end INTEGER NOT NULL, count INTEGER NOT NULL, max INTEGER NOT NULL)");
        s.executeUpdate("CREATE INDEX IF NOT EXISTS counters_end ON counters (window_end)");
      }
      db = c;
      return c;
    } catch (SQLException | IOException e) {
      throw new StoreException("cannot open the counter store " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public int take(List<Take> takes) throws StoreException {
    return inTransaction(c -> {
      int full = firstFull(c, takes);
      if (full != ALL_TAKEN) {
        return full;
      }
      try (PreparedStatement up = c.prepareStatement("INSERT INTO counters (key, scope, counter,"
          + " window_start, window_end, count, max) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key)"
          + " DO UPDATE SET count = count + excluded.count, max = excluded.max")) {
        for (Take t : takes) {
          up.setString(1, t.key());
          up.setString(2, t.scope());
          up.setString(3, t.counter());
          up.setLong(4, t.windowStart());
          up.setLong(5, t.windowEnd());
          up.setInt(6, t.permits());
          up.setInt(7, t.max());
          up.addBatch();
        }
        up.executeBatch();
      }
      if (++takesSincePurge >= 256 && !takes.isEmpty()) {
        takesSincePurge = 0;
        try (PreparedStatement del = c.prepareStatement(
            "DELETE FROM counters WHERE window_end < ?")) {
          del.setLong(1, takes.get(0).windowStart() - KEEP_AFTER_END_MS);
          del.executeUpdate();
        }
      }
      return ALL_TAKEN;
    });
  }

  @Override
  public int peek(List<Take> takes) throws StoreException {
    return inTransaction(c -> firstFull(c, takes));
  }

  private static int firstFull(Connection c, List<Take> takes) throws SQLException {
    try (PreparedStatement q = c.prepareStatement("SELECT count FROM counters WHERE key = ?")) {
      for (int i = 0; i < takes.size(); i++) {
        q.setString(1, takes.get(i).key());
        long count = 0;
        try (ResultSet rs = q.executeQuery()) {
          if (rs.next()) {
            count = rs.getLong(1);
          }
        }
        if (count + takes.get(i).permits() > takes.get(i).max()) {
          return i;
        }
      }
    }
    return ALL_TAKEN;
  }

  @Override
  public void give(List<Take> takes) throws StoreException {
    inTransaction(c -> {
      try (PreparedStatement up = c.prepareStatement(
          "UPDATE counters SET count = MAX(0, count - ?) WHERE key = ?")) {
        for (Take t : takes) {
          up.setInt(1, t.permits());
          up.setString(2, t.key());
          up.addBatch();
        }
        up.executeBatch();
      }
      return 0;
    });
  }

  @Override
  public List<CounterState> list(long nowMillis) throws StoreException {
    return inTransaction(c -> {
      List<CounterState> out = new ArrayList<>();
      try (PreparedStatement q = c.prepareStatement("SELECT scope, counter, window_start,"
          + " window_end, count, max FROM counters WHERE window_end > ? ORDER BY scope, counter")) {
        q.setLong(1, nowMillis);
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            out.add(new CounterState(rs.getString(1), rs.getString(2), rs.getLong(3),
                rs.getLong(4), rs.getLong(5), rs.getLong(6)));
          }
        }
      }
      return out;
    });
  }

  @Override
  public int reset(String scope, String counter) throws StoreException {
    return inTransaction(c -> {
      try (PreparedStatement d = c.prepareStatement(
          "DELETE FROM counters WHERE scope = ? AND counter = ?")) {
        d.setString(1, scope);
        d.setString(2, counter);
        return d.executeUpdate();
      }
    });
  }

  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T inTransaction(Work<T> work) throws StoreException {
    Connection c = connection();
    // Explicit statements (autocommit stays on, so the driver never opens a transaction of its
    // own): the write lock is held from BEGIN IMMEDIATE to COMMIT and never between calls.
    try (Statement s = c.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      boolean done = false;
      try {
        T result = work.run(c);
        s.execute("COMMIT");
        done = true;
        return result;
      } finally {
        if (!done) {
          try {
            s.execute("ROLLBACK");
          } catch (SQLException ignored) {
            close(); // reopened on the next call
          }
        }
      }
    } catch (SQLException e) {
      throw new StoreException("counter store " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return file.toString();
  }

  @Override
  public void close() {
    if (db != null) {
      try {
        db.close();
      } catch (SQLException ignored) {
        // closing: nothing left to do
      }
      db = null;
    }
  }
}
