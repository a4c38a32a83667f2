package dev.embed4j.samples.springai;

import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * Fills a Spring AI {@code SimpleVectorStore} from a folder of documents through Embed4j and
 * answers a question from it, then exits.
 *
 * <pre>
 * mvn -B -q install -DskipTests
 * java -jar samples/spring-ai-vectorstore/target/spring-ai-vectorstore.jar "How are failed batches retried?"
 * java -jar samples/spring-ai-vectorstore/target/spring-ai-vectorstore.jar --docs=path/to/notes "question"
 * </pre>
 *
 * <p>Configured only by {@code application.yml} and the key variables: with {@code OPENAI_API_KEY}
 * it embeds with OpenAI's text-embedding-3-small, with only {@code COHERE_API_KEY} with Cohere's
 * embed-v4.0, and with neither offline, in process, with all-MiniLM-L6-v2. The documents default to
 * the repository's README.md and docs/ folder.
 */
@SpringBootApplication
public class VectorStoreSample {

  public static void main(String[] args) {
    System.exit(SpringApplication.exit(SpringApplication.run(VectorStoreSample.class, args)));
  }

  /** Spring AI's in-memory store, adding documents through Embed4j's batched, parallel path. */
  @Bean
  BatchedSimpleVectorStore vectorStore(EmbeddingModel embeddingModel) {
    return BatchedSimpleVectorStore.create(embeddingModel);
  }
}
