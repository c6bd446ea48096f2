package dev.parley.common.file;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * File contents in the {@code file_blobs} table of the application's database: nothing to set up,
 * backed up with everything else, and stored in the same transaction as the file's metadata. Bytes
 * go through JDBC streams; note that MySQL's driver still reads a whole row into memory when it is
 * served, so large volumes belong in {@link DirectoryFileContents} (or an object store).
 */
@ApplicationScoped
@Typed(DatabaseFileContents.class)
public class DatabaseFileContents implements FileContents {

  @Resource(lookup = "jdbc/parley")
  DataSource dataSource;

  @Override
  @Transactional(TxType.REQUIRED)
  public void store(String fileId, InputStream content, long size) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement insert =
            c.prepareStatement("INSERT INTO file_blobs (file_id, data) VALUES (?, ?)")) {
      insert.setString(1, fileId);
      insert.setBinaryStream(2, content, size);
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new UncheckedIOException(new IOException("cannot store file " + fileId, e));
    }
  }

  /**
   * Outside any transaction, so that the connection the stream holds is not enlisted in one that
   * ends before the stream is read; closing the stream returns the connection.
   */
  @Override
  @Transactional(TxType.NOT_SUPPORTED)
  public Optional<InputStream> open(String fileId) {
    Connection c = null;
    try {
      c = dataSource.getConnection();
      PreparedStatement select =
          c.prepareStatement("SELECT data FROM file_blobs WHERE file_id = ?");
      select.setString(1, fileId);
      ResultSet row = select.executeQuery();
      if (!row.next()) {
        c.close();
        return Optional.empty();
      }
      return Optional.of(new ConnectionBoundStream(row.getBinaryStream(1), c));
    } catch (SQLException e) {
      closeQuietly(c, e);
      throw new UncheckedIOException(new IOException("cannot read file " + fileId, e));
    }
  }

  @Override
  @Transactional(TxType.REQUIRED)
  public void delete(String fileId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement delete = c.prepareStatement("DELETE FROM file_blobs WHERE file_id = ?")) {
      delete.setString(1, fileId);
      delete.executeUpdate();
    } catch (SQLException e) {
      throw new UncheckedIOException(new IOException("cannot delete file " + fileId, e));
    }
  }

  private static void closeQuietly(Connection c, SQLException cause) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** A blob's stream that gives its connection back (statement and result set with it) on close. */
  private static final class ConnectionBoundStream extends FilterInputStream {
    private final Connection connection;

    ConnectionBoundStream(InputStream in, Connection connection) {
      super(in);
      this.connection = connection;
    }

    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        try {
          connection.close();
        } catch (SQLException e) {
          throw new IOException("cannot close the connection of a file stream", e);
        }
      }
    }
  }
}
