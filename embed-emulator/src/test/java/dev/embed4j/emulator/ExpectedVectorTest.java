package dev.embed4j.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ExpectedVectorTest {

  static double norm(float[] v) {
    double s = 0;
    for (float f : v) {
      s += (double) f * f;
    }
    return Math.sqrt(s);
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
    }
    return dot / norm(a) / norm(b);
  }

  @Test
  void deterministic_andNormalised() {
    float[] a = EmbeddingEmulator.expectedVector("text-embedding-3-small", null, "hello", 1536);
    float[] b = EmbeddingEmulator.expectedVector("text-embedding-3-small", null, "hello", 1536);

    assertThat(a).hasSize(1536).containsExactly(b);
    assertThat(norm(a)).isCloseTo(1.0, within(1e-6));
  }

  @Test
  void stableAcrossVersions() {
    // pins the function: test suites of other modules may rely on exact values
    float[] v = EmbeddingEmulator.expectedVector("text-embedding-3-small", null, "hello", 4);
    assertThat(v).containsExactly(-0.51380783f, -0.7542012f, 0.29178762f, -0.2864299f);
  }

  @Test
  void distinctInputs_areNearlyOrthogonal() {
    float[] a = EmbeddingEmulator.expectedVector("text-embedding-3-small", null, "hello");
    float[] b = EmbeddingEmulator.expectedVector("text-embedding-3-small", null, "hello ");
    float[] c = EmbeddingEmulator.expectedVector("text-embedding-3-large", null, "hello", 1536);
    float[] d = EmbeddingEmulator.expectedVector("embed-v4.0", "search_query", "hello");
    float[] e = EmbeddingEmulator.expectedVector("embed-v4.0", "search_document", "hello");

    assertThat(Math.abs(cosine(a, b))).isLessThan(0.15);
    assertThat(Math.abs(cosine(a, c))).isLessThan(0.15);
    assertThat(Math.abs(cosine(d, e))).isLessThan(0.15);
  }

  @Test
  void partsDoNotRunIntoEachOther() {
    assertThat(Vectors.seed("embed-v4.0", "ab", "c"))
        .isNotEqualTo(Vectors.seed("embed-v4.0", "a", "bc"));
    assertThat(Vectors.seed("embed-v4.0", null, "x"))
        .isNotEqualTo(Vectors.seed("embed-v4.0", "", "x"));
  }

  @Test
  void reducedDimensions_arePrefixRenormalised() {
    float[] full = EmbeddingEmulator.expectedVector("text-embedding-3-large", null, "matryoshka");
    float[] small =
        EmbeddingEmulator.expectedVector("text-embedding-3-large", null, "matryoshka", 256);

    assertThat(full).hasSize(3072);
    assertThat(norm(small)).isCloseTo(1.0, within(1e-6));
    double prefixNorm = 0;
    for (int i = 0; i < 256; i++) {
      prefixNorm += (double) full[i] * full[i];
    }
    prefixNorm = Math.sqrt(prefixNorm);
    for (int i = 0; i < 256; i++) {
      assertThat((double) small[i]).isCloseTo(full[i] / prefixNorm, within(1e-6));
    }
  }

  @Test
  void oddDimensions() {
    float[] one = EmbeddingEmulator.expectedVector("text-embedding-3-small", null, "x", 1);
    assertThat(Math.abs(one[0])).isEqualTo(1f);
    assertThat(EmbeddingEmulator.expectedVector("text-embedding-3-small", null, "x", 7)).hasSize(7);
  }

  @Test
  void rejectsUnknownModelAndBadDimensions() {
    assertThatThrownBy(() -> EmbeddingEmulator.expectedVector("gpt-4", null, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("text-embedding-3-small");
    assertThatThrownBy(
            () -> EmbeddingEmulator.expectedVector("embed-english-v3.0", "search_query", "x", 1025))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> EmbeddingEmulator.expectedVector("embed-english-v3.0", "search_query", "x", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void expectedTokens_cl100k() {
    assertThat(EmbeddingEmulator.expectedTokens("")).isZero();
    assertThat(EmbeddingEmulator.expectedTokens("hello world")).isEqualTo(2);
    assertThat(EmbeddingEmulator.expectedTokens("<|endoftext|>")).isGreaterThan(1);
  }
}
