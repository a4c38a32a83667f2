package dev.embed4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.InvalidInputException;
import dev.embed4j.ModelRegistry;
import dev.embed4j.ModelSpec;
import dev.embed4j.ProviderException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The halving of a batch the provider found too large, and what it learns from the refusal. */
class SplitTest {
  private static final ModelSpec SMALL = ModelRegistry.defaults().get("text-embedding-3-small");

  @Test
  void halves_haveAboutEqualTokensNewIdsAndTheInputsOwnIndices() {
    int[] tokens = {100, 100, 100, 700, 50, 50, 50, 50};
    Split split = new Split(SMALL, tokens, new TokenDensity(), 10);
    Batch batch = new Batch(3, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 1200);

    List<Batch> halves = split.halves(batch);

    assertThat(halves.get(0).id()).isEqualTo(10);
    assertThat(halves.get(0).indices()).containsExactly(0, 1, 2, 3);
    assertThat(halves.get(0).tokens()).isEqualTo(1000);
    assertThat(halves.get(1).id()).isEqualTo(11);
    assertThat(halves.get(1).indices()).containsExactly(4, 5, 6, 7);
    assertThat(halves.get(1).tokens()).isEqualTo(200);
    assertThat(split.halves(halves.get(1)).get(0).id()).as("ids keep counting").isEqualTo(12);
  }

  @Test
  void halves_ofTwoOrOfALeadingGiant_leaveNoHalfEmpty() {
    int[] tokens = {5000, 1, 1};
    Split split = new Split(SMALL, tokens, new TokenDensity(), 1);

    List<Batch> giant = split.halves(new Batch(0, new int[] {0, 1, 2}, 5002));
    List<Batch> pair = split.halves(new Batch(0, new int[] {1, 2}, 2));

    assertThat(giant.get(0).indices()).containsExactly(0);
    assertThat(giant.get(1).indices()).containsExactly(1, 2);
    assertThat(pair.get(0).indices()).containsExactly(1);
    assertThat(pair.get(1).indices()).containsExactly(2);
  }

  @Test
  void density_learnsTheProvidersOwnCountWhenItSaysIt() {
    TokenDensity density = new TokenDensity();
    Split split = new Split(SMALL, new int[0], density, 0);
    Batch batch = new Batch(0, new int[] {0, 1}, 300_000);

    split.refused(batch, refusal("Requested 1200000 tokens, max 300000 tokens per request"));

    assertThat(density.factor()).isEqualTo(4.0);
    assertThat(density.budget(300_000)).isEqualTo(75_000);
    assertThat(density.corrected(80_000)).isEqualTo(320_000);
    assertThat(split.overCap(new Batch(1, new int[] {0, 1}, 80_000))).isTrue();
    assertThat(split.overCap(new Batch(1, new int[] {0}, 80_000)))
        .as("a single input is never halved")
        .isFalse();
  }

  @Test
  void density_withoutACount_growsByAtMostDoublingAndOnlyNearTheCap() {
    TokenDensity density = new TokenDensity();

    assertThat(density.refused(300_000, 300_000, -1)).isTrue();
    assertThat(density.factor()).isEqualTo(TokenDensity.MARGIN);
    assertThat(density.refused(150_000, 300_000, -1)).isTrue();
    assertThat(density.factor()).isEqualTo(2 * TokenDensity.MARGIN);
    assertThat(density.refused(20_000, 300_000, -1))
        .as("far under the cap: another limit was hit")
        .isFalse();
    assertThat(density.refused(300_000, 300_000, -1)).as("never shrinks").isFalse();
    assertThat(density.factor()).isEqualTo(2 * TokenDensity.MARGIN);
  }

  @Test
  void density_isBounded() {
    TokenDensity density = new TokenDensity();

    density.refused(1000, 300_000, 1_000_000_000);

    assertThat(density.factor()).isEqualTo(TokenDensity.MAX);
  }

  @Test
  void overLong_namesTheInputAndKeepsTheProvidersWords() {
    ModelSpec cohere = ModelRegistry.defaults().get("embed-english-v3.0");
    Split split = new Split(cohere, new int[] {10, 400}, new TokenDensity(), 2);
    ProviderException refusal = refusal("text at index 0 has 600 tokens");

    InvalidInputException e = split.overLong(new Batch(5, new int[] {1}, 400), refusal);

    assertThat(e.index()).isEqualTo(1);
    assertThat(e.getCause()).isSameAs(refusal);
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage())
        .startsWith("Input 1 is too long for cohere:embed-english-v3.0 by the provider's count")
        .contains("estimated here at 400 tokens", "text at index 0 has 600 tokens")
        .endsWith("Split it into smaller chunks, or set truncate(true).");
  }

  @Test
  void counted_readsTheProvidersFigure() {
    assertThat(Split.counted("Requested 346185 tokens, max 300000 tokens per request"))
        .isEqualTo(346185);
    assertThat(
            Split.counted(
                "The max allowed tokens per submitted batch is 120000. Your batch has 150000"
                    + " tokens after truncation."))
        .isEqualTo(150000);
    assertThat(Split.counted("Too many tokens overall, split into more batches.")).isEqualTo(-1);
  }

  @Test
  void tooLarge_theProvidersRefusalsOfSize() {
    assertThat(
            ErrorMapping.tooLarge(
                400, "max_tokens_per_request", "Requested 346185 tokens, max 300000 tokens"))
        .isTrue();
    assertThat(
            ErrorMapping.tooLarge(
                400,
                null,
                "This model's maximum context length is 8192 tokens, however you requested 9000"
                    + " tokens (9000 in your prompt; 0 for the completion)."))
        .isTrue();
    assertThat(
            ErrorMapping.tooLarge(
                400,
                null,
                "invalid request: total number of texts must be at most 96 - received 97"))
        .isTrue();
    assertThat(
            ErrorMapping.tooLarge(
                400,
                null,
                "invalid request: text at index 3 has 600 tokens, which exceeds the maximum of 512"
                    + " tokens for embed-english-v3.0"))
        .isTrue();
    assertThat(
            ErrorMapping.tooLarge(400, null, "Too many tokens overall, split into more batches."))
        .isTrue();
    assertThat(ErrorMapping.tooLarge(413, null, "batch size 64 > maximum allowed batch size 32"))
        .isTrue();
    assertThat(ErrorMapping.tooLarge(413, null, "(empty body)")).isTrue();
    assertThat(
            ErrorMapping.tooLarge(
                429,
                "rate_limit_exceeded",
                "Request too large for text-embedding-3-small in organization org-x on tokens per"
                    + " min (TPM): Limit 1000000, Requested 1200000."))
        .isTrue();
  }

  @Test
  void tooLarge_notOtherRefusals() {
    assertThat(ErrorMapping.tooLarge(400, null, "'$.input' is invalid. Please check the API"))
        .isFalse();
    assertThat(
            ErrorMapping.tooLarge(
                400,
                "integer_above_max_value",
                "Invalid 'dimensions': integer above maximum value. Expected a value <= 1536"))
        .isFalse();
    assertThat(
            ErrorMapping.tooLarge(
                429,
                "rate_limit_exceeded",
                "Rate limit reached for text-embedding-3-small on tokens per min (TPM)"))
        .isFalse();
    assertThat(ErrorMapping.tooLarge(500, "server_error", "too many tokens")).isFalse();
    assertThat(ErrorMapping.tooLarge(401, null, "invalid api token")).isFalse();
  }

  private static ProviderException refusal(String message) {
    return ProviderException.builder("openai", "text-embedding-3-small")
        .status(400)
        .requestTooLarge(true)
        .build(message);
  }
}
