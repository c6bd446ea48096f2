package dev.parley.common.schema;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Brings the schema up to date before anything else of the application runs. One kind of process
 * migrates ({@code parley.schema.migrate=true}: the gateway); the others (IM nodes) wait until the
 * schema has every migration they know, so that no two processes ever run a migration at once (H2
 * has no transactional DDL, and a half-applied migration would stop every later start).
 */
@Startup
@Singleton
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SchemaMigration {

  private static final System.Logger LOG = System.getLogger(SchemaMigration.class.getName());
  private static final int ATTEMPTS = 5;

  @Resource(lookup = "jdbc/parley")
  DataSource dataSource;

  /** Whether this process applies migrations, or waits for another process to. */
  @Inject
  @ConfigProperty(name = "parley.schema.migrate", defaultValue = "true")
  boolean migrates;

  /** How long a waiting process waits for the schema. */
  @Inject
  @ConfigProperty(name = "parley.schema.wait", defaultValue = "PT5M")
  Duration wait;

  @PostConstruct
  void start() {
    Flyway flyway =
        Flyway.configure(SchemaMigration.class.getClassLoader())
            .dataSource(dataSource)
            .locations("classpath:db/migration")
            .placeholders(Map.of("table_options", tableOptions()))
            .load();
    if (migrates) {
      migrate(flyway);
    } else {
      awaitCurrent(flyway);
    }
  }

  private void awaitCurrent(Flyway flyway) {
    long deadline = System.nanoTime() + wait.toNanos();
    int pending;
    while ((pending = pendingMigrations(flyway)) > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            pending + " schema migrations still pending after " + wait + "; is the gateway up?");
      }
      LOG.log(Level.INFO, "waiting for the gateway to apply {0} schema migrations", pending);
      pause(5);
    }
    LOG.log(Level.INFO, "schema is current");
  }

  private static int pendingMigrations(Flyway flyway) {
    try {
      return flyway.info().pending().length;
    } catch (FlywayException e) {
      return Integer.MAX_VALUE; // the history table is being created right now
    }
  }

  private void migrate(Flyway flyway) {
    for (int attempt = 1; ; attempt++) {
      try {
        var result = flyway.migrate();
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
