package dev.embed4j.emulator;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which faults an {@link EmbeddingEmulator} injects, and how often. Immutable and thread-safe.
 *
 * <p>Faults apply only to requests that are otherwise valid (authenticated, well-formed and within
 * the provider's limits), and are decided before rate limiting and billing: a faulted request
 * consumes no rate-limit budget and bills no tokens. For every such request the emulator draws one
 * number from a {@link java.util.SplittableRandom} seeded with {@link #seed()} and picks at most
 * one fault by comparing it with the cumulative rates, so the sequence of faults is deterministic
 * given the seed and the order in which valid requests arrive.
 *
 * <pre>{@code
 * Faults faults = Faults.builder()
 *     .serverErrorRate(0.05)   // 500, 502 or 503 with the provider's error body
 *     .resetRate(0.02)         // connection closed without a response
 *     .slowRate(0.01, Duration.ofSeconds(5))
 *     .seed(42)
 *     .build();
 * }</pre>
 *
 * <p>The sum of all rates must not exceed 1.
 */
public final class Faults {

  /** No faults at all; the default of {@link EmbeddingEmulator.Builder#faults(Faults)}. */
  public static final Faults NONE = builder().build();

  /** The kinds of fault the emulator can produce, as counted by {@link Stats#faults(Kind)}. */
  public enum Kind {
    /** HTTP 500, 502 or 503 (chosen uniformly) with the provider's error body. */
    SERVER_ERROR,
    /** The connection is closed after the request is read, without any response. */
    CONNECTION_RESET,
    /** A valid reply sent only after {@link #slowDelay()}; meant to exceed the client's timeout. */
    SLOW,
    /** Status 200 and a {@code Content-Length} larger than the body written before closing. */
    TRUNCATED_BODY,
    /** Status 200 with a body that is not valid JSON (the first half of the real body). */
    MALFORMED_JSON,
    /** Status 200 with one embedding fewer than the inputs. */
    WRONG_COUNT,
    /**
     * Status 200 where one index is missing and another appears twice (OpenAI); Cohere has no
     * index, so there the first embedding is appended once more (one embedding too many).
     */
    DUPLICATE_INDEX,
    /** A reply scripted with {@link EmbeddingEmulator#failNext(int, int, String)}. */
    SCRIPTED
  }

  private final Map<Kind, Double> rates;
  private final Duration slowDelay;
  private final long seed;

  private Faults(Builder b) {
    this.rates = Map.copyOf(b.rates);
    this.slowDelay = b.slowDelay;
    this.seed = b.seed;
  }

  /** Returns a builder with every rate at 0, a slow delay of 30 seconds and seed 0. */
  public static Builder builder() {
    return new Builder();
  }

  /** The probability in [0, 1] that a valid request gets a fault of this kind. */
  public double rate(Kind kind) {
    return rates.getOrDefault(Objects.requireNonNull(kind, "kind"), 0.0);
  }

  /** How long a {@link Kind#SLOW} reply waits before it is sent. */
  public Duration slowDelay() {
    return slowDelay;
  }

  /** The seed of the random sequence that decides which requests are faulted. */
  public long seed() {
    return seed;
  }

  /** Whether any rate is above 0. */
  public boolean any() {
    return rates.values().stream().anyMatch(r -> r > 0);
  }

  @Override
  public String toString() {
    return "Faults" + rates + " slowDelay=" + slowDelay + " seed=" + seed;
  }

  /** Builds {@link Faults}. Each setter validates its argument at once. Not thread-safe. */
  public static final class Builder {
    private final Map<Kind, Double> rates = new EnumMap<>(Kind.class);
    private Duration slowDelay = Duration.ofSeconds(30);
    private long seed;

    private Builder() {}

    /** Rate of HTTP 500/502/503 replies with the provider's error body. */
    public Builder serverErrorRate(double rate) {
      return rate(Kind.SERVER_ERROR, rate);
    }

    /** Rate of connections closed without a response. */
    public Builder resetRate(double rate) {
      return rate(Kind.CONNECTION_RESET, rate);
    }

    /** Rate of replies whose body is cut short of the declared {@code Content-Length}. */
    public Builder truncatedRate(double rate) {
      return rate(Kind.TRUNCATED_BODY, rate);
    }

    /** Rate of 200 replies whose body is not valid JSON. */
    public Builder malformedRate(double rate) {
      return rate(Kind.MALFORMED_JSON, rate);
    }

    /** Rate of 200 replies that carry one embedding fewer than the inputs. */
    public Builder wrongCountRate(double rate) {
      return rate(Kind.WRONG_COUNT, rate);
    }

    /** Rate of 200 replies with a duplicated (and so a missing) index. */
    public Builder duplicateIndexRate(double rate) {
      return rate(Kind.DUPLICATE_INDEX, rate);
    }

    /**
     * Rate of replies delayed by {@code delay} (on top of the emulator's latency). The reply sent
     * after the delay is valid but, being a fault, bills nothing in {@link Stats}.
     */
    public Builder slowRate(double rate, Duration delay) {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay must not be negative: " + delay);
      }
      this.slowDelay = delay;
      return rate(Kind.SLOW, rate);
    }

    /** Seed of the fault sequence (default 0). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    private Builder rate(Kind kind, double rate) {
      if (!(rate >= 0 && rate <= 1)) {
        throw new IllegalArgumentException(kind + " rate must be in [0, 1]: " + rate);
      }
      rates.put(kind, rate);
      return this;
    }

    /**
     * Returns the faults.
     *
     * @throws IllegalStateException if the rates add up to more than 1
     */
    public Faults build() {
      double sum = rates.values().stream().mapToDouble(Double::doubleValue).sum();
      if (sum > 1 + 1e-9) {
        throw new IllegalStateException("fault rates add up to " + sum + ", more than 1");
      }
      return new Faults(this);
    }
  }
}
