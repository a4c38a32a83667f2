package dev.embed4j.samples.rag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.Embedder;
import dev.embed4j.emulator.EmbeddingEmulator;
import dev.embed4j.langchain4j.LangChain4jEmbeddingModel;
import dev.langchain4j.data.document.loader.FileSystemDocumentLoader;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first LangChain4j example, verbatim, run against the emulator. */
class ReadmeFirstScreenTest {

  /** The README snippet: {@code docs} is the folder to index. */
  static void example(Path docs) {
    Embedder embedder =
        Embedder.builder().model("text-embedding-3-small").build(); // OPENAI_API_KEY
    EmbeddingModel model = LangChain4jEmbeddingModel.builder(embedder).build();
    EmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
    EmbeddingStoreIngestor.builder()
        .documentSplitter(DocumentSplitters.recursive(500, 50))
        .embeddingModel(model) // all segments in one run: parallel, token-aware batches
        .embeddingStore(store)
        .build()
        .ingest(FileSystemDocumentLoader.loadDocuments(docs));
    Embedding question = model.embed("How are rate limits handled?").content();
    store
        .search(EmbeddingSearchRequest.builder().queryEmbedding(question).maxResults(3).build())
        .matches()
        .forEach(m -> System.out.printf("%.3f %s%n", m.score(), m.embedded().text()));
    embedder.close();
  }

  @Test
  void runsAgainstTheEmulator(@TempDir Path docs) throws Exception {
    Files.writeString(docs.resolve("limits.md"), "A 429 pauses every worker, then paces them.");
    Files.writeString(docs.resolve("cost.md"), "Tokens come from the usage the server reports.");
    Files.writeString(docs.resolve("batches.md"), "Batches are packed by count and by tokens.");
    PrintStream stdout = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (EmbeddingEmulator emulator = EmbeddingEmulator.builder().apiKeys("k").start()) {
      // the embedder's default lookup reads a system property before the variable
      System.setProperty("OPENAI_API_KEY", "k");
      System.setProperty("OPENAI_BASE_URL", emulator.baseUrl());
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      example(docs);
    } finally {
      System.setOut(stdout);
      System.clearProperty("OPENAI_API_KEY");
      System.clearProperty("OPENAI_BASE_URL");
    }
    assertThat(out.toString(StandardCharsets.UTF_8).lines())
        .hasSize(3)
        .allMatch(line -> line.matches("-?\\d+[.,]\\d{3} .+"));
  }
}
