package dev.embed4j.spring.autoconfigure;

import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.TokenCountBatchingStrategy;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Service;

/**
 * The README's examples, compiled here and run by {@code ReadmeSnippetsTests}; keep the two in
 * step.
 */
final class ReadmeSnippets {
  private ReadmeSnippets() {}

  // README "Spring AI quick start": inject Spring AI's EmbeddingModel; Embed4j's is
  // auto-configured.
  @Service
  static class Indexer {
    private final EmbeddingModel embeddingModel;

    Indexer(EmbeddingModel embeddingModel) {
      this.embeddingModel = embeddingModel;
    }

    List<float[]> embed(List<Document> chunks) {
      // One call: the engine batches by the model's real limits, sends the batches in parallel,
      // retries and rate-limits; the vectors come back in chunk order.
      return embeddingModel.embed(
          chunks, EmbeddingOptions.builder().build(), new TokenCountBatchingStrategy());
    }
  }

  // README "Cost events": every run and batch is a Spring application event.
  @Component
  static class EmbeddingCosts {
    private static final Logger log = LoggerFactory.getLogger(EmbeddingCosts.class);
    private final AtomicReference<BigDecimal> spent = new AtomicReference<>(BigDecimal.ZERO);

    @EventListener
    void onRun(Embed4jRunEvent run) {
      spent.accumulateAndGet(run.cost(), BigDecimal::add);
      log.info(
          "{}: {} texts, {} tokens, ${} in {} ms",
          run.model(),
          run.texts(),
          run.tokens(),
          run.cost(),
          run.duration().toMillis());
    }

    @EventListener
    void onBatch(Embed4jBatchEvent batch) {
      if (!batch.succeeded()) {
        log.warn(
            "Batch {} of run {} failed after {} attempts: {}",
            batch.batchId(),
            batch.runId(),
            batch.attempts(),
            batch.error().getMessage());
      }
    }

    BigDecimal spent() {
      return spent.get();
    }
  }
}
