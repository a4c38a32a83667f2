package dev.embed4j.readme;

import java.util.List;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The README's first Spring Boot example, verbatim (the README test checks it); {@code
 * PgVectorSampleTests} runs it against PGlite with the sample's {@code application.yml}. In its own
 * package, so the sample's component scan does not pick it up.
 */
@SpringBootApplication
public class Application {
  public static void main(String[] args) {
    SpringApplication.run(Application.class, args);
  }

  @Bean
  ApplicationRunner ingest(VectorStore vectorStore) { // Spring AI's PgVectorStore
    return args -> vectorStore.add(List.of(new Document("Embed4j embeds in parallel batches.")));
  }
}
