package dev.embed4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ModelRegistryTest {

  @Test
  void bundlesTheEightSeedModelsWithTheirPricesAndLimits() {
    ModelRegistry registry = ModelRegistry.defaults();
    assertThat(registry.models())
        .extracting(ModelSpec::id)
        .startsWith(
            "openai:text-embedding-3-small",
            "openai:text-embedding-3-large",
            "openai:text-embedding-ada-002",
            "cohere:embed-v4.0",
            "cohere:embed-english-v3.0",
            "cohere:embed-english-light-v3.0",
            "cohere:embed-multilingual-v3.0",
            "cohere:embed-multilingual-light-v3.0");
    ModelSpec small = registry.get("text-embedding-3-small");
    assertThat(small.dimensions()).isEqualTo(1536);
    assertThat(small.pricePerMillionTokens()).isEqualByComparingTo("0.02");
    assertThat(small.maxInputsPerRequest()).isEqualTo(2048);
    assertThat(small.maxTokensPerInput()).isEqualTo(8192);
    assertThat(small.maxTokensPerRequest()).isEqualTo(300_000);
    assertThat(small.hasExactTokenizer()).isTrue();
    assertThat(small.acceptsDimensions(1)).isTrue();
    assertThat(registry.get("text-embedding-3-large").pricePerMillionTokens())
        .isEqualByComparingTo("0.13");
    assertThat(registry.get("text-embedding-ada-002").acceptsDimensions(512)).isFalse();
    ModelSpec v4 = registry.get("cohere:embed-v4.0");
    assertThat(v4.maxInputsPerRequest()).isEqualTo(96);
    assertThat(v4.pricePerMillionTokens()).isEqualByComparingTo("0.12");
    assertThat(v4.acceptsDimensions(256)).isTrue();
    assertThat(v4.acceptsDimensions(768)).isFalse();
    assertThat(registry.get("embed-english-light-v3.0").dimensions()).isEqualTo(384);
    assertThat(registry.get("embed-multilingual-v3.0").hasExactTokenizer()).isFalse();
  }

  @Test
  void findsByProviderPrefixCaseInsensitively() {
    assertThat(ModelRegistry.defaults().find("OpenAI:text-embedding-3-large")).isPresent();
    assertThat(ModelRegistry.defaults().find("cohere:text-embedding-3-large")).isEmpty();
  }

  @Test
  void usersCanOverrideAndAddModels() {
    ModelRegistry registry =
        ModelRegistry.defaults().toBuilder()
            .add(
                ModelSpec.builder("openai", "text-embedding-3-small")
                    .dimensions(1536)
                    .reducibleFrom(1)
                    .pricePerMillionTokens(new BigDecimal("0.01"))
                    .tokenizer(ModelSpec.TOKENIZER_CL100K)
                    .build())
            .add(ModelSpec.builder("acme", "tiny").dimensions(64).build())
            .build();
    assertThat(registry.get("text-embedding-3-small").pricePerMillionTokens())
        .isEqualByComparingTo("0.01");
    assertThat(registry.get("tiny").provider()).isEqualTo("acme");
    assertThat(ModelRegistry.defaults().get("text-embedding-3-small").pricePerMillionTokens())
        .as("the defaults are immutable")
        .isEqualByComparingTo("0.02");
  }

  @Test
  void bundlesTheLimitsOfEachProvidersModels() {
    ModelRegistry r = ModelRegistry.defaults();
    assertThat(r.get("voyage-4-large").maxTokensPerRequest()).isEqualTo(120_000);
    assertThat(r.get("voyage-4").maxTokensPerRequest()).isEqualTo(320_000);
    assertThat(r.get("voyage-4-lite").maxTokensPerRequest()).isEqualTo(1_000_000);
    assertThat(r.get("voyage-3.5").maxInputsPerRequest()).isEqualTo(1000);
    assertThat(r.get("voyage-3.5").acceptsDimensions(2048)).isTrue();
    assertThat(r.get("voyage-3.5").acceptsDimensions(768)).isFalse();
    assertThat(r.get("mistral-embed").dimensions()).isEqualTo(1024);
    assertThat(r.get("mistral-embed").maxTokensPerRequest()).isEqualTo(16_384);
    assertThat(r.get("mistral-embed").supportsReducedDimensions()).isFalse();
    assertThat(r.get("codestral-embed").acceptsDimensions(256)).isTrue();
    assertThat(r.get("jina-embeddings-v3").acceptsDimensions(32)).isTrue();
    assertThat(r.get("gemini-embedding-001").maxInputsPerRequest()).isEqualTo(100);
    assertThat(r.get("gemini-embedding-001").acceptsDimensions(768)).isTrue();
    assertThat(r.get("azure:text-embedding-3-small").maxInputsPerRequest()).isEqualTo(2048);
    assertThat(r.get("tei:BAAI/bge-base-en-v1.5").maxInputsPerRequest()).isEqualTo(32);
    assertThat(r.get("ollama:nomic-embed-text").pricePerMillionTokens()).isEqualByComparingTo("0");
    assertThat(r.get("tei:BAAI/bge-m3").pricePerMillionTokens()).isEqualByComparingTo("0");
  }

  @Test
  void anAmbiguousBareNameAsksForTheProvider() {
    ModelRegistry registry =
        ModelRegistry.defaults().toBuilder()
            .add(ModelSpec.builder("azure", "text-embedding-3-small").dimensions(1536).build())
            .build();
    assertThatThrownBy(() -> registry.find("text-embedding-3-small"))
        .hasMessageContaining("ambiguous")
        .hasMessageContaining("azure:text-embedding-3-small");
  }

  @Test
  void loadsModelsFromJsonAndNamesABadEntry() throws Exception {
    String json =
        "[{\"provider\":\"openai\",\"name\":\"m1\",\"dimensions\":8,\"pricePerMillionTokens\":\"1.5\"},"
            + "{\"provider\":\"openai\",\"name\":\"m2\"}]";
    assertThatThrownBy(() -> ModelRegistry.builder().load(stream(json)))
        .hasMessageContaining("Model entry 1 is invalid")
        .hasMessageContaining("dimensions must be positive");
    ModelRegistry ok =
        ModelRegistry.builder()
            .load(stream(json.replace(",{\"provider\":\"openai\",\"name\":\"m2\"}", "")))
            .build();
    assertThat(ok.get("m1").pricePerMillionTokens()).isEqualByComparingTo("1.5");
  }

  @Test
  void modelSpecBuilder_rejectsBadValues() {
    assertThatThrownBy(() -> ModelSpec.builder("openai", "x").dimensions(0))
        .hasMessageContaining("dimensions");
    assertThatThrownBy(() -> ModelSpec.builder("open:ai", "x")).hasMessageContaining("without ':'");
    assertThatThrownBy(() -> ModelSpec.builder("openai", "x").build())
        .hasMessageContaining("dimensions");
    assertThatThrownBy(() -> ModelSpec.builder("openai", "x").tokenizer("p50k"))
        .hasMessageContaining("tokenizer");
    assertThatThrownBy(
            () -> ModelSpec.builder("openai", "x").pricePerMillionTokens(new BigDecimal("-1")))
        .hasMessageContaining("negative");
  }

  private static ByteArrayInputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }
}
