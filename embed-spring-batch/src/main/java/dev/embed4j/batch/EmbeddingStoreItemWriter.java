package dev.embed4j.batch;

import dev.embed4j.Embedder;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.SkipListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Embeds each chunk of LangChain4j {@link TextSegment}s through an {@link Embedder} (one call per
 * chunk, its batches sent in parallel) and adds them to an {@link EmbeddingStore} with {@code
 * addAll(ids, embeddings, segments)}.
 *
 * <p>An item's id is its metadata value under {@code idKey} (default {@code "id"}), else a UUID
 * derived from its text, so the same segment gets the same id in every run and a store that
 * replaces by id does not duplicate it on a restart. Tokens, dollars and skipped ids go to the
 * step: see {@link Embed4jBatch}. A chunk whose store write failed keeps its vectors in this writer
 * until it is written, so Spring Batch's retry or skip scan of that chunk does not pay twice.
 * Thread-safe: one writer may serve a multi-threaded or partitioned step.
 */
public final class EmbeddingStoreItemWriter
    implements ItemWriter<TextSegment>, StepExecutionListener, SkipListener<Object, TextSegment> {
  private final ChunkEmbedding embedding;
  private final EmbeddingStore<TextSegment> store;
  private final String idKey;
  private final StepFigures figures = new StepFigures();

  /** A writer with ids from each segment's {@code "id"} metadata. */
  public EmbeddingStoreItemWriter(Embedder embedder, EmbeddingStore<TextSegment> store) {
    this(embedder, store, "id");
  }

  /** A writer with ids from each segment's metadata under {@code idKey}. */
  public EmbeddingStoreItemWriter(
      Embedder embedder, EmbeddingStore<TextSegment> store, String idKey) {
    this.embedding = new ChunkEmbedding(Objects.requireNonNull(embedder, "embedder"));
    this.store = Objects.requireNonNull(store, "store");
    this.idKey = Objects.requireNonNull(idKey, "idKey");
  }

  @Override
  public void write(Chunk<? extends TextSegment> chunk) {
    List<? extends TextSegment> items = chunk.getItems();
    List<String> ids = new ArrayList<>(items.size());
    List<String> texts = new ArrayList<>(items.size());
    for (TextSegment s : items) {
      ids.add(id(s));
      texts.add(s.text());
    }
    List<float[]> vectors = embedding.embed(ids, texts, figures);
    List<Embedding> embeddings = new ArrayList<>(vectors.size());
    for (float[] v : vectors) {
      embeddings.add(Embedding.from(v));
    }
    store.addAll(ids, embeddings, new ArrayList<>(items));
    embedding.written(ids, texts);
    figures.add(null, items.size());
  }

  /** The id this writer gives {@code segment} in the store. */
  public String id(TextSegment segment) {
    String id = segment.metadata().getString(idKey);
    return id != null
        ? id
        : UUID.nameUUIDFromBytes(segment.text().getBytes(StandardCharsets.UTF_8)).toString();
  }

  @Override
  public void beforeStep(StepExecution stepExecution) {
    figures.beforeStep(stepExecution);
  }

  @Override
  public ExitStatus afterStep(StepExecution stepExecution) {
    return figures.afterStep(stepExecution);
  }

  @Override
  public void onSkipInWrite(TextSegment item, Throwable t) {
    figures.skipped(id(item));
  }
}
