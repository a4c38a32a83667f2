package dev.embed4j.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.Embedder;
import dev.embed4j.emulator.EmbeddingEmulator;
import dev.embed4j.langchain4j.LangChain4jEmbeddingModel;
import dev.embed4j.springai.SpringAiEmbeddingModel;
import dev.langchain4j.data.segment.TextSegment;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.model.openai.autoconfigure.OpenAiEmbeddingAutoConfiguration;
import org.springframework.ai.openai.OpenAiEmbeddingModel;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Moving from Spring AI's or LangChain4j's OpenAI starter: the application's existing {@code
 * spring.ai.openai.*} / {@code langchain4j.open-ai.embedding-model.*} properties configure Embed4j
 * when the {@code embed4j.*} ones are absent.
 */
class MigrationTests {
  private static EmbeddingEmulator emulator;

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(Embed4jAutoConfiguration.class));

  @BeforeAll
  static void startEmulator() {
    emulator = EmbeddingEmulator.builder().apiKeys("their-key").start();
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  @Test
  void springAiProperties_withTheSelector_configureOurModel_andSpringAisBacksOff() {
    contextRunner
        .withConfiguration(AutoConfigurations.of(OpenAiEmbeddingAutoConfiguration.class))
        .withPropertyValues(
            "spring.ai.model.embedding=embed4j",
            "spring.ai.openai.api-key=their-key",
            "spring.ai.openai.base-url=" + emulator.baseUrl(),
            "spring.ai.openai.embedding.options.model=text-embedding-3-large",
            "spring.ai.openai.embedding.options.dimensions=256")
        .run(
            context -> {
              assertThat(context)
                  .hasNotFailed()
                  .hasSingleBean(EmbeddingModel.class)
                  .doesNotHaveBean(OpenAiEmbeddingModel.class);
              Embedder embedder = context.getBean(Embedder.class);
              assertThat(embedder.model().id()).isEqualTo("openai:text-embedding-3-large");
              assertThat(embedder.dimensions()).isEqualTo(256);
              EmbeddingModel model = context.getBean(EmbeddingModel.class);
              assertThat(model).isInstanceOf(SpringAiEmbeddingModel.class);
              assertThat(model.embed("hello"))
                  .isEqualTo(
                      EmbeddingEmulator.expectedVector(
                          "text-embedding-3-large", null, "hello", 256));
            });
  }

  @Test
  void springAiWithOnlyAKey_keepsSpringAisDefaultModel() {
    contextRunner
        .withPropertyValues(
            "spring.ai.openai.api-key=their-key",
            "spring.ai.openai.embedding.base-url=" + emulator.baseUrl())
        .run(
            context -> {
              Embedder embedder = context.getBean(Embedder.class);
              assertThat(embedder.model().id())
                  .as("the vectors already in the application's store are ada-002's")
                  .isEqualTo("openai:text-embedding-ada-002");
              assertThat(embedder.embed(List.of("hello")).vector(0))
                  .isEqualTo(
                      EmbeddingEmulator.expectedVector(
                          "text-embedding-ada-002", null, "hello", 1536));
            });
  }

  @Test
  void springAiEnvironmentVariables_areRead() {
    // Spring's relaxed binding: SPRING_AI_OPENAI_API_KEY is spring.ai.openai.api-key
    contextRunner
        .withSystemProperties(
            "SPRING_AI_OPENAI_API_KEY=their-key", "SPRING_AI_OPENAI_BASE_URL=" + emulator.baseUrl())
        .run(
            context ->
                assertThat(context.getBean(Embedder.class).embed(List.of("x")).vectors())
                    .hasSize(1));
  }

  @Test
  void langChain4jProperties_configureTheLangChain4jModel() {
    contextRunner
        .withPropertyValues(
            "langchain4j.open-ai.embedding-model.api-key=their-key",
            "langchain4j.open-ai.embedding-model.base-url=" + emulator.baseUrl(),
            "langchain4j.open-ai.embedding-model.model-name=text-embedding-3-small",
            "langchain4j.open-ai.embedding-model.dimensions=512")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              dev.langchain4j.model.embedding.EmbeddingModel model =
                  context.getBean(dev.langchain4j.model.embedding.EmbeddingModel.class);
              assertThat(model).isInstanceOf(LangChain4jEmbeddingModel.class);
              assertThat(model.dimension()).isEqualTo(512);
              assertThat(model.embed(TextSegment.from("hello")).content().vector())
                  .isEqualTo(
                      EmbeddingEmulator.expectedVector(
                          "text-embedding-3-small", null, "hello", 512));
            });
  }

  @Test
  void embed4jProperties_winOverTheStarters() {
    contextRunner
        .withPropertyValues(
            "embed4j.model=text-embedding-3-small",
            "embed4j.openai.base-url=" + emulator.baseUrl(),
            "spring.ai.openai.api-key=their-key",
            "spring.ai.openai.base-url=http://127.0.0.1:1",
            "spring.ai.openai.embedding.options.model=text-embedding-3-large",
            "spring.ai.openai.embedding.options.dimensions=256")
        .run(
            context -> {
              Embedder embedder = context.getBean(Embedder.class);
              assertThat(embedder.model().id()).isEqualTo("openai:text-embedding-3-small");
              assertThat(embedder.dimensions())
                  .as("a starter's dimensions go with its model only")
                  .isEqualTo(1536);
              assertThat(embedder.embed(List.of("x")).vectors()).hasSize(1);
            });
    contextRunner
        .withPropertyValues(
            "embed4j.dimensions=64",
            "spring.ai.openai.api-key=their-key",
            "spring.ai.openai.base-url=" + emulator.baseUrl(),
            "spring.ai.openai.embedding.options.model=text-embedding-3-large",
            "spring.ai.openai.embedding.options.dimensions=256")
        .run(
            context -> {
              Embedder embedder = context.getBean(Embedder.class);
              assertThat(embedder.model().id()).isEqualTo("openai:text-embedding-3-large");
              assertThat(embedder.dimensions()).isEqualTo(64);
            });
  }

  @Test
  void dimensionsThatAreNoNumber_failTheStartNamingTheProperty() {
    contextRunner
        .withPropertyValues(
            "langchain4j.open-ai.embedding-model.api-key=their-key",
            "langchain4j.open-ai.embedding-model.dimensions=many")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("langchain4j.open-ai.embedding-model.dimensions=many"));
  }

  @Test
  void aStartersModelWithoutAKey_failsNamingWhereTheKeyGoes() {
    contextRunner
        .withPropertyValues("langchain4j.open-ai.embedding-model.model-name=text-embedding-3-small")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("LangChain4j's OpenAI starter's properties")
                    .hasMessageContaining("OPENAI_API_KEY"));
  }
}
