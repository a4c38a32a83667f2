package dev.embed4j.emulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of what an {@link EmbeddingEmulator} has seen and sent. Thread-safe: every method
 * may be called at any time, also while requests are being served; each value is read on its own,
 * so values read one after another may belong to slightly different moments.
 *
 * <p>A request is counted in {@link #requests()} when it arrives, in {@link #requests(int)} when
 * its status line is sent (a {@link Faults.Kind#CONNECTION_RESET} sends none), and in {@link
 * #tokensBilled()} / {@link #inputsEmbedded()} only when it got a well-formed 200 reply that was
 * not a fault.
 */
public final class Stats {

  private static final int MAX_BATCH_SIZES = 100_000;

  private final LongAdder requests = new LongAdder();
  private final ConcurrentHashMap<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
  private final LongAdder[] faults = new LongAdder[Faults.Kind.values().length];
  private final LongAdder rateLimited = new LongAdder();
  private final ConcurrentHashMap<String, LongAdder> tokensByModel = new ConcurrentHashMap<>();
  private final LongAdder inputs = new LongAdder();
  private final LongAdder imageTokens = new LongAdder();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final int[] batchSizes = new int[MAX_BATCH_SIZES];
  private final ConcurrentHashMap<String, LongAdder> batchTokensByModel = new ConcurrentHashMap<>();
  private final LongAdder batchInputs = new LongAdder();
  private final LongAdder filesUploaded = new LongAdder();
  private final LongAdder batchesCreated = new LongAdder();
  private final LongAdder batchesCancelled = new LongAdder();
  private int batchCount; // guarded by batchSizes

  Stats() {
    for (int i = 0; i < faults.length; i++) {
      faults[i] = new LongAdder();
    }
  }

  /** Requests received on any path, including invalid and faulted ones. */
  public long requests() {
    return requests.sum();
  }

  /** Replies sent with this HTTP status (faults that send a status included). */
  public long requests(int status) {
    LongAdder n = byStatus.get(status);
    return n == null ? 0 : n.sum();
  }

  /** Replies by HTTP status, sorted by status. */
  public Map<Integer, Long> statusCounts() {
    Map<Integer, Long> m = new TreeMap<>();
    byStatus.forEach((k, v) -> m.put(k, v.sum()));
    return Collections.unmodifiableMap(m);
  }

  /** Replies with a status from 500 to 599. */
  public long serverErrors() {
    long n = 0;
    for (Map.Entry<Integer, LongAdder> e : byStatus.entrySet()) {
      if (e.getKey() >= 500 && e.getKey() <= 599) {
        n += e.getValue().sum();
      }
    }
    return n;
  }

  /** Faults injected of this kind. */
  public long faults(Faults.Kind kind) {
    return faults[kind.ordinal()].sum();
  }

  /** Faults injected of every kind. */
  public long faults() {
    long n = 0;
    for (LongAdder f : faults) {
      n += f.sum();
    }
    return n;
  }

  /** Faults injected, by kind (kinds never injected map to 0). */
  public Map<Faults.Kind, Long> faultCounts() {
    Map<Faults.Kind, Long> m = new EnumMap<>(Faults.Kind.class);
    for (Faults.Kind k : Faults.Kind.values()) {
      m.put(k, faults(k));
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * 429 replies caused by the emulator's requests- or tokens-per-minute limits (code {@code
   * rate_limit_exceeded}); {@code insufficient_quota} and scripted 429s are not included, but are
   * in {@link #requests(int) requests(429)}.
   */
  public long rateLimited() {
    return rateLimited.sum();
  }

  /** Tokens billed for this model on well-formed 200 replies. */
  public long tokensBilled(String model) {
    LongAdder n = tokensByModel.get(model);
    return n == null ? 0 : n.sum();
  }

  /** Tokens billed for all models on well-formed 200 replies. */
  public long tokensBilled() {
    return tokensByModel.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Tokens billed by model, sorted by model. */
  public Map<String, Long> tokensBilledByModel() {
    Map<String, Long> m = new TreeMap<>();
    tokensByModel.forEach((k, v) -> m.put(k, v.sum()));
    return Collections.unmodifiableMap(m);
  }

  /** Image tokens billed (Cohere {@code image_tokens}) on well-formed 200 replies, all models. */
  public long imageTokensBilled() {
    return imageTokens.sum();
  }

  /** Inputs embedded in well-formed 200 replies. */
  public long inputsEmbedded() {
    return inputs.sum();
  }

  /** Requests being handled right now. */
  public int inFlight() {
    return inFlight.get();
  }

  /** The most requests that were being handled at the same time since start or reset. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  /**
   * The number of inputs ({@code input} items for OpenAI, {@code texts} for Cohere) of every
   * request whose body could be parsed, valid or not, in arrival order. Only the first 100,000
   * since start or reset are kept.
   */
  public List<Integer> batchSizes() {
    synchronized (batchSizes) {
      List<Integer> l = new ArrayList<>(batchCount);
      for (int i = 0; i < batchCount; i++) {
        l.add(batchSizes[i]);
      }
      return Collections.unmodifiableList(l);
    }
  }

  /**
   * Tokens billed through the Batch API for this model: those of the lines in the output files of
   * ended jobs (completed, expired or cancelled). Not included in {@link #tokensBilled()}.
   */
  public long batchTokensBilled(String model) {
    LongAdder n = batchTokensByModel.get(model);
    return n == null ? 0 : n.sum();
  }

  /** Tokens billed through the Batch API, all models. */
  public long batchTokensBilled() {
    return batchTokensByModel.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /**
   * US dollars billed through the Batch API: each model's batch tokens at its batch price per 1M
   * tokens (text-embedding-3-small $0.01, text-embedding-3-large $0.065, text-embedding-ada-002
   * $0.05), unrounded.
   */
  public java.math.BigDecimal batchDollarsBilled() {
    java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
    for (Map.Entry<String, LongAdder> e : batchTokensByModel.entrySet()) {
      java.math.BigDecimal price =
          Models.BATCH_PRICES.getOrDefault(e.getKey(), java.math.BigDecimal.ZERO);
      sum =
          sum.add(
              price
                  .multiply(java.math.BigDecimal.valueOf(e.getValue().sum()))
                  .divide(java.math.BigDecimal.valueOf(1_000_000)));
    }
    return sum;
  }

  /** Inputs embedded by the lines of Batch API output files. */
  public long batchInputsEmbedded() {
    return batchInputs.sum();
  }

  /** Files uploaded to {@code /v1/files}. */
  public long filesUploaded() {
    return filesUploaded.sum();
  }

  /** Jobs created on {@code /v1/batches}. */
  public long batchesCreated() {
    return batchesCreated.sum();
  }

  /** Jobs cancelled on {@code /v1/batches/{id}/cancel}. */
  public long batchesCancelled() {
    return batchesCancelled.sum();
  }

  /** Sets every counter to 0 (max in flight to the current in-flight count). */
  public void reset() {
    requests.reset();
    byStatus.clear();
    for (LongAdder f : faults) {
      f.reset();
    }
    rateLimited.reset();
    tokensByModel.clear();
    inputs.reset();
    imageTokens.reset();
    maxInFlight.set(inFlight.get());
    batchTokensByModel.clear();
    batchInputs.reset();
    filesUploaded.reset();
    batchesCreated.reset();
    batchesCancelled.reset();
    synchronized (batchSizes) {
      batchCount = 0;
    }
  }

  @Override
  public String toString() {
    Map<Faults.Kind, Long> f = new EnumMap<>(Faults.Kind.class);
    faultCounts()
        .forEach(
            (k, v) -> {
              if (v > 0) {
                f.put(k, v);
              }
            });
    return "Stats{requests="
        + requests()
        + ", status="
        + statusCounts()
        + ", faults="
        + f
        + ", rateLimited="
        + rateLimited()
        + ", tokensBilled="
        + tokensBilledByModel()
        + ", inputsEmbedded="
        + inputsEmbedded()
        + ", maxInFlight="
        + maxInFlight()
        + '}';
  }

  void begin() {
    requests.increment();
    int n = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(n, Math::max);
  }

  void end() {
    inFlight.decrementAndGet();
  }

  void status(int status) {
    byStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
  }

  void fault(Faults.Kind kind) {
    faults[kind.ordinal()].increment();
  }

  void rateLimitHit() {
    rateLimited.increment();
  }

  void bill(String model, long tokens, int inputCount) {
    tokensByModel.computeIfAbsent(model, m -> new LongAdder()).add(tokens);
    inputs.add(inputCount);
  }

  void billBatch(String model, long tokens, int inputCount) {
    batchTokensByModel.computeIfAbsent(model, m -> new LongAdder()).add(tokens);
    batchInputs.add(inputCount);
  }

  void fileUploaded() {
    filesUploaded.increment();
  }

  void batchCreated() {
    batchesCreated.increment();
  }

  void batchCancelled() {
    batchesCancelled.increment();
  }

  void billImages(long tokens) {
    imageTokens.add(tokens);
  }

  void batch(int size) {
    synchronized (batchSizes) {
      if (batchCount < MAX_BATCH_SIZES) {
        batchSizes[batchCount++] = size;
      }
    }
  }
}
