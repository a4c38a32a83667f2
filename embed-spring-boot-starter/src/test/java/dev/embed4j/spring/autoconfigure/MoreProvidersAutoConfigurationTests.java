package dev.embed4j.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.Embedder;
import dev.embed4j.emulator.EmbeddingEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Every provider added after OpenAI and Cohere configured under {@code embed4j.<provider>.*}, with
 * its key from the property or from the provider's own variable, against the emulator: the starter
 * names none of them (the properties come from core's provider table).
 */
class MoreProvidersAutoConfigurationTests {
  private static EmbeddingEmulator emulator;

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(Embed4jAutoConfiguration.class));

  @BeforeAll
  static void startEmulator() {
    emulator = EmbeddingEmulator.builder().apiKeys("test-key").start();
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  /** model, the key's variable, the input type its vector is of. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "azure:text-embedding-3-small, AZURE_OPENAI_API_KEY, ",
    "voyage:voyage-4, VOYAGE_API_KEY, document",
    "mistral:mistral-embed, MISTRAL_API_KEY, ",
    "jina:jina-embeddings-v3, JINA_API_KEY, retrieval.passage",
    "gemini:gemini-embedding-001, GEMINI_API_KEY, RETRIEVAL_DOCUMENT",
    "gemini:gemini-embedding-001, GOOGLE_API_KEY, RETRIEVAL_DOCUMENT",
    "ollama:nomic-embed-text, OLLAMA_API_KEY, ",
    "tei:BAAI/bge-base-en-v1.5, TEI_API_KEY, "
  })
  void eachProviderUnderItsOwnPrefix_withItsKeyFromPropertyOrVariable(
      String model, String variable, String inputType) {
    String provider = model.substring(0, model.indexOf(':'));
    String name = model.substring(provider.length() + 1);
    String base = "embed4j." + provider + ".base-url=" + emulator.baseUrl(provider);
    for (String key : new String[] {"embed4j." + provider + ".api-key", variable}) {
      contextRunner
          .withPropertyValues("embed4j.model=" + model, base, key + "=test-key")
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                Embedder embedder = context.getBean(Embedder.class);
                assertThat(embedder.model().id()).isEqualTo(model);
                int dims = embedder.model().dimensions();
                assertThat(embedder.embed(java.util.List.of("hello")).vector(0))
                    .as("key from %s", key)
                    .isEqualTo(EmbeddingEmulator.expectedVector(name, inputType, "hello", dims));
              });
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"ollama:nomic-embed-text", "tei:BAAI/bge-base-en-v1.5"})
  void aSelfHostedServerNeedsNoKey(String model) {
    String provider = model.substring(0, model.indexOf(':'));
    try (EmbeddingEmulator open = EmbeddingEmulator.builder().start()) {
      contextRunner
          .withPropertyValues(
              "embed4j.model=" + model,
              "embed4j." + provider + ".base-url=" + open.baseUrl(provider))
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                assertThat(
                        context.getBean(Embedder.class).embed(java.util.List.of("hello")).vectors())
                    .hasSize(1);
              });
    }
  }
}
