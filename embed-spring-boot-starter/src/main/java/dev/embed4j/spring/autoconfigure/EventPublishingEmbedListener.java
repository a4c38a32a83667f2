package dev.embed4j.spring.autoconfigure;

import dev.embed4j.BatchOutcome;
import dev.embed4j.EmbedListener;
import dev.embed4j.EmbeddingRun;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes every finished batch and run as an {@link Embed4jBatchEvent} or {@link
 * Embed4jRunEvent}.
 */
final class EventPublishingEmbedListener implements EmbedListener {
  private final ApplicationEventPublisher publisher;

  EventPublishingEmbedListener(ApplicationEventPublisher publisher) {
    this.publisher = publisher;
  }

  @Override
  public void batchSucceeded(BatchOutcome batch) {
    publisher.publishEvent(Embed4jBatchEvent.of(batch));
  }

  @Override
  public void batchFailed(BatchOutcome batch) {
    publisher.publishEvent(Embed4jBatchEvent.of(batch));
  }

  @Override
  public void runFinished(EmbeddingRun run) {
    publisher.publishEvent(Embed4jRunEvent.of(run));
  }
}
