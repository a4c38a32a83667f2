package dev.embed4j.samples.pgvector;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.pgvector.PgVectorEmbeddingStore;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * Fills PostgreSQL with pgvector through Embed4j twice, once with Spring AI's {@code PgVectorStore}
 * and once with LangChain4j's {@code PgVectorEmbeddingStore}, and answers a question from each.
 *
 * <pre>
 * mvn -B -q install -DskipTests
 * java -jar samples/pgvector/target/pgvector.jar "How are failed batches retried?"
 * java -jar samples/pgvector/target/pgvector.jar --docs=path/to/notes \
 *     --spring.datasource.url=jdbc:postgresql://db:5432/app "question"
 * </pre>
 *
 * <p>Configured only by {@code application.yml}: Spring Boot's {@code spring.datasource.*} for the
 * database, Spring AI's {@code spring.ai.vectorstore.pgvector.*} for its store (auto-configured by
 * {@code spring-ai-starter-vector-store-pgvector}), {@code sample.langchain4j-table} for
 * LangChain4j's, and Embed4j's starter for both embedding models (from the key variables, or
 * offline without a key).
 */
@SpringBootApplication
public class PgVectorSample {

  public static void main(String[] args) {
    System.exit(SpringApplication.exit(SpringApplication.run(PgVectorSample.class, args)));
  }

  /**
   * LangChain4j's pgvector store on Spring Boot's {@code DataSource}, with the dimensions of the
   * embedding model Embed4j's starter registered.
   */
  @Bean
  PgVectorEmbeddingStore langChain4jStore(
      DataSource dataSource,
      EmbeddingModel embeddingModel,
      @Value("${sample.langchain4j-table}") String table) {
    return PgVectorEmbeddingStore.datasourceBuilder()
        .datasource(dataSource)
        .table(table)
        .dimension(embeddingModel.dimension())
        .createTable(true)
        .build();
  }
}
