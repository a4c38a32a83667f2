package dev.embed4j.samples.pgvector;

import dev.embed4j.Embedder;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStore;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.stereotype.Component;

/**
 * Chunks the documents, stores them in both pgvector stores, and prints each store's best matches
 * for the question. A missing question or documents are reported on standard error with exit code
 * 2.
 */
@Component
class QuestionAnswerer implements ApplicationRunner, ExitCodeGenerator {
  private static final Logger log = LoggerFactory.getLogger(QuestionAnswerer.class);
  private static final String USAGE =
      "Usage: java -jar pgvector.jar \"your question\" [--docs=PATH] [--spring.datasource.url=URL]";

  private final VectorStore springAiStore;
  private final EmbeddingStore<TextSegment> langChain4jStore;
  private final EmbeddingModel langChain4jModel;
  private final Embedder embedder;
  private volatile Answer answer;
  private volatile int exitCode;

  QuestionAnswerer(
      VectorStore springAiStore,
      EmbeddingStore<TextSegment> langChain4jStore,
      EmbeddingModel langChain4jModel,
      Embedder embedder) {
    this.springAiStore = springAiStore;
    this.langChain4jStore = langChain4jStore;
    this.langChain4jModel = langChain4jModel;
    this.embedder = embedder;
  }

  @Override
  public void run(ApplicationArguments args) {
    String question = String.join(" ", args.getNonOptionArgs()).trim();
    List<String> docs = args.getOptionValues("docs");
    List<Document> chunks;
    try {
      if (question.isEmpty()) {
        throw new IllegalArgumentException("No question given.");
      }
      chunks =
          Documents.chunks(
              docs == null || docs.isEmpty()
                  ? List.of(Path.of("README.md"), Path.of("docs"))
                  : docs.stream().map(Path::of).toList());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "\n" + USAGE);
      exitCode = 2;
      return;
    }
    log.info(
        "Indexing {} chunks with {} ({} dimensions) into both stores",
        chunks.size(),
        embedder.model().id(),
        embedder.dimensions());

    // Spring AI: PgVectorStore embeds all chunks with one call of the batched path, then inserts.
    springAiStore.add(chunks);
    List<Document> springAiMatches =
        springAiStore.similaritySearch(SearchRequest.builder().query(question).topK(3).build());

    // LangChain4j: embedAll is one Embed4j run too; then the store inserts (an upsert, by id).
    List<TextSegment> segments =
        chunks.stream()
            .map(c -> TextSegment.from(c.getText(), Metadata.from("source", source(c))))
            .toList();
    List<Embedding> embeddings = langChain4jModel.embedAll(segments).content();
    langChain4jStore.addAll(chunks.stream().map(Document::getId).toList(), embeddings, segments);
    List<EmbeddingMatch<TextSegment>> langChain4jMatches =
        langChain4jStore
            .search(
                EmbeddingSearchRequest.builder()
                    .queryEmbedding(langChain4jModel.embed(question).content())
                    .maxResults(3)
                    .build())
            .matches();

    answer = new Answer(question, springAiMatches, langChain4jMatches);
    System.out.println();
    System.out.println("Q: " + question);
    System.out.println("Spring AI PgVectorStore:");
    for (int i = 0; i < springAiMatches.size(); i++) {
      Document match = springAiMatches.get(i);
      print(i, match.getScore(), match.getMetadata().get("source"), match.getText());
    }
    System.out.println("LangChain4j PgVectorEmbeddingStore:");
    for (int i = 0; i < langChain4jMatches.size(); i++) {
      EmbeddingMatch<TextSegment> match = langChain4jMatches.get(i);
      TextSegment segment = match.embedded();
      print(i, match.score(), segment.metadata().getString("source"), segment.text());
    }
  }

  @Override
  public int getExitCode() {
    return exitCode;
  }

  /** The question and each store's best matches, once {@link #run} is done. */
  Answer answer() {
    return answer;
  }

  private static String source(Document chunk) {
    return String.valueOf(chunk.getMetadata().get("source"));
  }

  private static void print(int i, Double score, Object source, String text) {
    String flat = text == null ? "" : text.replaceAll("\\s+", " ").trim();
    String excerpt = flat.length() <= 160 ? flat : flat.substring(0, 160) + "...";
    System.out.printf("%d. %.3f  %s%n   %s%n", i + 1, score, source, excerpt);
  }

  record Answer(
      String question,
      List<Document> springAiMatches,
      List<EmbeddingMatch<TextSegment>> langChain4jMatches) {}
}
