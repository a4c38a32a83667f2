package dev.embed4j.batch;

import dev.embed4j.springai.SpringAiEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.SkipListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Embeds each chunk of Spring AI {@link Document}s through Embed4j (one call per chunk, its batches
 * sent in parallel) and adds them to a {@link VectorStore}.
 *
 * <p>A Spring AI store embeds what it is given with its own {@link EmbeddingModel}, so this writer
 * builds the store on a model of its own: {@code storeOnModel} receives it. That model hands the
 * store the vectors the chunk was just embedded with (on the writing thread) and otherwise embeds
 * through {@code model}, so searches on the same store work as usual:
 *
 * <pre>{@code
 * SpringAiEmbeddingModel model = SpringAiEmbeddingModel.builder(embedder).build();
 * VectorStoreItemWriter writer =
 *     new VectorStoreItemWriter(model, m -> SimpleVectorStore.builder(m).build());
 * VectorStore store = writer.vectorStore(); // for searching
 * }</pre>
 *
 * <p>The texts are the documents' {@link SpringAiEmbeddingModel#getEmbeddingContent(Document)
 * content} in the model's metadata mode; ids are the documents' ids. Tokens, dollars and skipped
 * ids go to the step: see {@link Embed4jBatch}. A chunk whose store write failed keeps its vectors
 * in this writer until it is written, so Spring Batch's retry or skip scan does not pay twice.
 * Thread-safe: one writer may serve a multi-threaded or partitioned step.
 */
public final class VectorStoreItemWriter
    implements ItemWriter<Document>, StepExecutionListener, SkipListener<Object, Document> {
  private final SpringAiEmbeddingModel model;
  private final ChunkEmbedding embedding;
  private final Handoff handoff;
  private final VectorStore store;
  private final StepFigures figures = new StepFigures();

  /**
   * @param model the Embed4j model whose embedder embeds each chunk
   * @param storeOnModel builds the vector store on the embedding model it is given
   */
  public VectorStoreItemWriter(
      SpringAiEmbeddingModel model, Function<EmbeddingModel, VectorStore> storeOnModel) {
    this.model = Objects.requireNonNull(model, "model");
    this.embedding = new ChunkEmbedding(model.embedder());
    this.handoff = new Handoff(model);
    this.store =
        Objects.requireNonNull(storeOnModel.apply(handoff), "storeOnModel returned no store");
  }

  /** The store this writer adds to, built on its model. */
  public VectorStore vectorStore() {
    return store;
  }

  @Override
  public void write(Chunk<? extends Document> chunk) {
    List<Document> documents = new ArrayList<>(chunk.getItems());
    List<String> ids = new ArrayList<>(documents.size());
    List<String> texts = new ArrayList<>(documents.size());
    for (Document d : documents) {
      ids.add(d.getId());
      texts.add(model.getEmbeddingContent(d));
    }
    List<float[]> vectors = embedding.embed(ids, texts, figures);
    handoff.offer(documents, vectors);
    try {
      store.add(documents);
    } finally {
      handoff.clear();
    }
    embedding.written(ids, texts);
    figures.add(null, documents.size());
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
  public void onSkipInWrite(Document item, Throwable t) {
    figures.skipped(item.getId());
  }
}
