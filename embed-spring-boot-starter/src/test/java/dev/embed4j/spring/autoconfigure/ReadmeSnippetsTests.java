package dev.embed4j.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.emulator.EmbeddingEmulator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Runs the README's examples from {@link ReadmeSnippets}. */
class ReadmeSnippetsTests {

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(Embed4jAutoConfiguration.class))
          .withUserConfiguration(ReadmeSnippets.Indexer.class, ReadmeSnippets.EmbeddingCosts.class);

  @Test
  void quickStartAndCostEvents() {
    try (EmbeddingEmulator emulator = EmbeddingEmulator.builder().start()) {
      contextRunner
          .withPropertyValues(
              "OPENAI_API_KEY=test-key", "embed4j.openai.base-url=" + emulator.baseUrl())
          .run(
              context -> {
                List<float[]> vectors =
                    context
                        .getBean(ReadmeSnippets.Indexer.class)
                        .embed(List.of(new Document("first chunk"), new Document("second chunk")));

                assertThat(vectors).hasSize(2);
                assertThat(context.getBean(ReadmeSnippets.EmbeddingCosts.class).spent())
                    .isPositive()
                    .isEqualByComparingTo(
                        new java.math.BigDecimal("0.02")
                            .multiply(java.math.BigDecimal.valueOf(emulator.stats().tokensBilled()))
                            .movePointLeft(6));
              });
    }
  }
}
