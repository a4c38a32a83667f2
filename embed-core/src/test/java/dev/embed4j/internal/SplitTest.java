package dev.embed4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.InvalidInputException;
import dev.embed4j.ModelRegistry;
import dev.embed4j.ModelSpec;
import dev.embed4j.ProviderException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The halving of a batch the provider found too large, and what it learns from the refusal. */
class SplitTest {
  private static final ModelSpec SMALL = ModelRegistry.defaults().get("text-embedding-3-small");

  /** A batch of the inputs at {@code positions}, with {@code tokens} each (by position). */
  private static Batch batch(int id, int[] tokens, int... positions) {
    List<Input> inputs = new ArrayList<>();
    for (int p : positions) {
      Input in = new Input(p, null, "t" + p, "t" + p, tokens[p], tokens[p]);
      in.exact = true;
      inputs.add(in);
    }
    return Batch.of(id, inputs);
  }

  private static Split split(ModelSpec model, TokenDensity density, int firstId) {
    AtomicInteger ids = new AtomicInteger(firstId);
    return new Split(model, density, ids::getAndIncrement);
  }

  private static int[] positions(Batch batch) {
    return batch.indexList().stream().mapToInt(Integer::intValue).toArray();
  }

  @Test
  void halves_haveAboutEqualTokensNewIdsAndTheInputsOwnIndices() {
    int[] tokens = {100, 100, 100, 700, 50, 50, 50, 50};
    Split split = split(SMALL, new TokenDensity(), 10);
    Batch batch = batch(3, tokens, 0, 1, 2, 3, 4, 5, 6, 7);

    List<Batch> halves = split.halves(batch);

    assertThat(halves.get(0).id()).isEqualTo(10);
    assertThat(positions(halves.get(0))).containsExactly(0, 1, 2, 3);
    assertThat(halves.get(0).tokens()).isEqualTo(1000);
    assertThat(halves.get(1).id()).isEqualTo(11);
    assertThat(positions(halves.get(1))).containsExactly(4, 5, 6, 7);
    assertThat(halves.get(1).tokens()).isEqualTo(200);
    assertThat(split.halves(halves.get(1)).get(0).id()).as("ids keep counting").isEqualTo(12);
  }

  @Test
  void halve_queuesBothHalvesTheFirstCarryingTheRefusedAttempts() {
    int[] tokens = {100, 100, 100, 100};
    Split split = split(SMALL, new TokenDensity(), 4);
    BatchResult.Attempts refused = new BatchResult.Attempts(1, 0, 0);

    List<Batch> halves = split.halve(batch(0, tokens, 0, 1, 2, 3), refused);

    Split.Half first = split.next();
    Split.Half second = split.next();
    assertThat(first.batch()).isSameAs(halves.get(0));
    assertThat(first.carried()).isEqualTo(refused);
    assertThat(second.batch()).isSameAs(halves.get(1));
    assertThat(second.carried()).isEqualTo(BatchResult.Attempts.NONE);
    assertThat(split.next()).isNull();
  }

  @Test
  void halves_ofTwoOrOfALeadingGiant_leaveNoHalfEmpty() {
    int[] tokens = {5000, 1, 1};
    Split split = split(SMALL, new TokenDensity(), 1);

    List<Batch> giant = split.halves(batch(0, tokens, 0, 1, 2));
    List<Batch> pair = split.halves(batch(0, tokens, 1, 2));

    assertThat(positions(giant.get(0))).containsExactly(0);
    assertThat(positions(giant.get(1))).containsExactly(1, 2);
    assertThat(positions(pair.get(0))).containsExactly(1);
    assertThat(positions(pair.get(1))).containsExactly(2);
  }

  @Test
  void density_learnsTheProvidersOwnCountWhenItSaysIt() {
    TokenDensity density = new TokenDensity();
    Split split = split(SMALL, density, 0);
    Batch batch = batch(0, new int[] {150_000, 150_000}, 0, 1);

    split.refused(batch, refusal("Requested 1200000 tokens, max 300000 tokens per request"));

    assertThat(density.factor()).isEqualTo(4.0);
    assertThat(density.budget(300_000)).isEqualTo(75_000);
    assertThat(density.corrected(80_000)).isEqualTo(320_000);
    assertThat(split.overCap(batch(1, new int[] {40_000, 40_000}, 0, 1))).isTrue();
    assertThat(split.overCap(batch(1, new int[] {80_000}, 0)))
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
    Split split = split(cohere, new TokenDensity(), 2);
    ProviderException refusal = refusal("text at index 0 has 600 tokens");

    InvalidInputException e = split.overLong(batch(5, new int[] {10, 400}, 1), refusal);

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
