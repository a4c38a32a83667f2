package dev.embed4j.samples.pgvector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embed4j.Embedder;
import dev.embed4j.spring.autoconfigure.Embed4jRunEvent;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.document.MetadataMode;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Runs the sample as {@code java -jar} would, with no key (offline all-MiniLM-L6-v2), against a
 * real PostgreSQL with pgvector (PGlite), only the datasource URL changed.
 */
@ExtendWith(OutputCaptureExtension.class)
class PgVectorSampleTests {
  private static final String QUESTION = "Which animal purrs when it is happy?";

  private static Pglite postgres;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = Pglite.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void fillsBothPgvectorStoresThroughEmbed4j_andQueriesBackTheRightDocument(
      @TempDir Path docs, CapturedOutput output) throws Exception {
    Files.writeString(
        docs.resolve("cats.md"),
        "# Cats\n\nCats are small, furry animals. A cat purrs when it is "
            + "content, and sleeps for most of the day.");
    Files.writeString(
        docs.resolve("compilers.md"),
        "# Compilers\n\nA compiler translates source code into machine "
            + "code. The Java compiler emits bytecode that the JVM runs.");
    Files.writeString(
        docs.resolve("bread.txt"),
        "Baking bread: mix flour, water, salt and yeast, knead the dough, "
            + "let it rise, and bake it in a hot oven.");

    try (ConfigurableApplicationContext context =
        new SpringApplication(PgVectorSample.class, RunEvents.class)
            .run("--spring.datasource.url=" + postgres.jdbcUrl(), "--docs=" + docs, QUESTION)) {
      QuestionAnswerer.Answer answer = context.getBean(QuestionAnswerer.class).answer();
      assertThat(answer.springAiMatches()).hasSize(3);
      assertThat(answer.springAiMatches().get(0).getMetadata()).containsEntry("source", "cats.md");
      assertThat(answer.langChain4jMatches()).hasSize(3);
      assertThat(answer.langChain4jMatches().get(0).embedded().metadata().getString("source"))
          .isEqualTo("cats.md");

      // each store's three chunks in one run (the batched path), then each question in its own
      assertThat(context.getBean(RunEvents.class).runs)
          .extracting(Embed4jRunEvent::texts)
          .containsExactly(3, 1, 3, 1);

      // the rows are in PostgreSQL, each with the vector Embed4j computed for its text
      Embedder embedder = context.getBean(Embedder.class);
      assertThat(embedder.model().id()).isEqualTo("langchain4j:all-minilm-l6-v2");
      JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
      assertThat(jdbc.queryForObject("select count(*) from embed4j_spring_ai", Integer.class))
          .isEqualTo(3);
      assertThat(jdbc.queryForObject("select count(*) from embed4j_langchain4j", Integer.class))
          .isEqualTo(3);
      Document cats = answer.springAiMatches().get(0);
      // Spring AI embeds a document's text with its metadata (MetadataMode.EMBED), LangChain4j the
      // segment's text alone
      Map<String, Object> stored =
          jdbc.queryForMap(
              "select content, metadata::text as metadata from embed4j_spring_ai where id = '"
                  + cats.getId()
                  + "'");
      Map<String, Object> metadata =
          new ObjectMapper()
              .readValue(
                  (String) stored.get("metadata"), new TypeReference<Map<String, Object>>() {});
      assertThat(metadata).containsEntry("source", "cats.md");
      String springAiText =
          new Document((String) stored.get("content"), metadata)
              .getFormattedContent(MetadataMode.EMBED);
      List<float[]> expected = embedder.embed(List.of(springAiText, cats.getText())).vectors();
      assertThat(
              vector(
                  jdbc.queryForObject(
                      "select embedding::text from embed4j_spring_ai where id = '"
                          + cats.getId()
                          + "'",
                      String.class)))
          .containsExactly(expected.get(0), within(1e-6f));
      EmbeddingMatch<TextSegment> lc4jCats = answer.langChain4jMatches().get(0);
      assertThat(lc4jCats.embeddingId()).isEqualTo(cats.getId());
      assertThat(
              vector(
                  jdbc.queryForObject(
                      "select embedding::text from embed4j_langchain4j where embedding_id = '"
                          + lc4jCats.embeddingId()
                          + "'",
                      String.class)))
          .containsExactly(expected.get(1), within(1e-6f));

      assertThat(output)
          .contains("Spring AI PgVectorStore:")
          .contains("LangChain4j PgVectorEmbeddingStore:");
    }
  }

  /** pgvector's text form, {@code [0.1,0.2,...]}. */
  private static float[] vector(String text) {
    String[] parts = text.substring(1, text.length() - 1).split(",");
    float[] v = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      v[i] = Float.parseFloat(parts[i]);
    }
    return v;
  }

  @Test
  void theReadmesSpringBootExample_storesItsDocumentThroughEmbed4j() {
    try (ConfigurableApplicationContext context =
        SpringApplication.run(
            dev.embed4j.readme.Application.class,
            "--spring.datasource.url=" + postgres.jdbcUrl(),
            "--spring.ai.vectorstore.pgvector.table-name=readme_example")) {
      JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
      assertThat(jdbc.queryForList("select content from readme_example", String.class))
          .containsExactly("Embed4j embeds in parallel batches.");
      assertThat(context.getBean(Embedder.class).totalTokens()).isPositive();
    }
  }

  @Test
  void withoutAQuestion_printsTheUsageAndExitsWithCode2(CapturedOutput output) throws Exception {
    try (ConfigurableApplicationContext context =
        SpringApplication.run(
            PgVectorSample.class, "--spring.datasource.url=" + postgres.jdbcUrl())) {
      assertThat(SpringApplication.exit(context)).isEqualTo(2);
      assertThat(output.getErr()).contains("No question given.").contains("Usage: java -jar");
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class RunEvents {
    final List<Embed4jRunEvent> runs = new CopyOnWriteArrayList<>();

    @Bean
    Collector runEventCollector() {
      return new Collector(this);
    }

    record Collector(RunEvents events) {
      @EventListener
      void on(Embed4jRunEvent run) {
        events.runs.add(run);
      }
    }
  }
}
