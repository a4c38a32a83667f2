package dev.embed4j.samples.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.emulator.EmbeddingEmulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** The job in one JVM, four partitions on four threads, against the emulator with a TPM limit. */
class IngestSampleTests {
  static final String MODEL = "text-embedding-3-small";

  static List<String> writeJsonl(Path file, int n) throws Exception {
    List<String> texts = new ArrayList<>();
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < n; i++) {
      String text = "Record " + i + " of the ingestion, topic " + (i % 13) + ".";
      // what the writer embeds: the document's content in metadata mode NONE
      texts.add(embedded("r" + i, text));
      jsonl.append("{\"id\":\"r").append(i).append("\",\"text\":\"").append(text).append("\"}\n");
    }
    Files.writeString(file, jsonl, StandardCharsets.UTF_8);
    return texts;
  }

  /** What the writer embeds for a record: its document's content in metadata mode NONE. */
  static String embedded(String id, String text) {
    return new org.springframework.ai.document.Document(id, text, Map.of())
        .getFormattedContent(org.springframework.ai.document.MetadataMode.NONE);
  }

  /** Every record is in the table once, at its own vector. */
  static void assertEveryVector(DataSource dataSource, List<String> texts) {
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    assertThat(jdbc.queryForObject("SELECT count(*) FROM embed4j_vectors", Long.class))
        .isEqualTo(texts.size());
    Map<String, float[]> stored = new java.util.HashMap<>();
    jdbc.query(
        "SELECT id, embedding FROM embed4j_vectors",
        rs -> {
          stored.put(rs.getString(1), PostgresVectorStore.vector(rs.getArray(2)));
        });
    for (int i = 0; i < texts.size(); i++) {
      assertThat(stored.get("r" + i))
          .as("vector of r%d", i)
          .containsExactly(EmbeddingEmulator.expectedVector(MODEL, null, texts.get(i), 1536));
    }
  }

  @Test
  void fourPartitionsOnFourThreadsIngestEveryRecordOnceUnderTheTokenLimit(@TempDir Path dir)
      throws Exception {
    Path input = dir.resolve("records.jsonl");
    List<String> texts = writeJsonl(input, 700);
    long tokens = texts.stream().mapToLong(EmbeddingEmulator::expectedTokens).sum();
    long tpm = 8_000;
    try (EmbeddingEmulator emulator = EmbeddingEmulator.builder().tokensPerMinute(tpm).start()) {
      SpringApplication app = new SpringApplication(IngestApplication.class);
      try (ConfigurableApplicationContext context =
          app.run(
              "--ingest.input=" + input,
              "--ingest.partitions=4",
              "--ingest.chunk-size=50",
              "--embed4j.openai.api-key=sk-sample",
              "--embed4j.openai.base-url=" + emulator.baseUrl(),
              "--embed4j.rate-limit.tokens-per-minute=" + tpm)) {
        assertThat(context.getBean(IngestRunner.class).exitCode()).isZero();
        assertEveryVector(context.getBean(DataSource.class), texts);
        assertThat(emulator.stats().tokensBilled()).isEqualTo(tokens);
        assertThat(emulator.stats().rateLimited()).isZero();
      }
    }
  }
}
