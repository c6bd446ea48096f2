package dev.parley.common.schema;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Brings the schema up to date before anything else of the application runs. Every process of a
 * cluster does this at start; on MySQL Flyway serialises them with a lock, and where two processes
 * race to create Flyway's own history table (H2), the loser tries again.
 */
@Startup
@Singleton
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SchemaMigration {

  private static final System.Logger LOG = System.getLogger(SchemaMigration.class.getName());
  private static final int ATTEMPTS = 5;

  @Resource(lookup = "jdbc/parley")
  DataSource dataSource;

  @PostConstruct
  void migrate() {
    Map<String, String> placeholders = Map.of("table_options", tableOptions());
    for (int attempt = 1; ; attempt++) {
      try {
        var result =
            Flyway.configure(SchemaMigration.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .placeholders(placeholders)
                .load()
                .migrate();
        LOG.log(
            Level.INFO,
            "schema at version {0} ({1} migrations applied now)",
            result.targetSchemaVersion == null ? "current" : result.targetSchemaVersion,
            result.migrationsExecuted);
        return;
      } catch (FlywayException e) {
        if (attempt == ATTEMPTS) {
          throw e;
        }
        LOG.log(
            Level.INFO,
            "schema migration attempt {0} lost a race, retrying: {1}",
            attempt,
            e.getMessage());
        pause(attempt);
      }
    }
  }

  private String tableOptions() {
    try (Connection c = dataSource.getConnection()) {
      String product = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT);
      if (product.contains("mysql") || product.contains("mariadb")) {
        return "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
      }
      return "";
    } catch (SQLException e) {
      throw new IllegalStateException("cannot reach the database jdbc/parley", e);
    }
  }

  private static void pause(int attempt) {
    try {
      // Back off before retrying a migration that a concurrent process is running.
      Thread.sleep(200L * attempt + (long) (Math.random() * 300));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while migrating", e);
    }
  }
}
