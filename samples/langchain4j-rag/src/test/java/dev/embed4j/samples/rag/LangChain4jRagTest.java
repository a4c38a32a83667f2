package dev.embed4j.samples.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.embed4j.emulator.EmbeddingEmulator;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the sample's program in-process on a small folder of documents, offline and against the
 * emulator.
 */
class LangChain4jRagTest {
  private static final String CATS =
      "Cats are small domesticated carnivores. They sleep up to sixteen hours a day "
          + "and purr when they are content.";
  private static final String BREAD =
      "Sourdough bread is leavened with a starter of wild yeast and lactic acid bacteria. Knead the"
          + " dough, let it rise overnight and bake it in a very hot Dutch oven.";
  private static final String ROCKETS =
      "Rockets reach orbit by burning liquid oxygen and kerosene; the rocket equation of"
          + " Tsiolkovsky relates their change of velocity to the exhaust velocity and the mass"
          + " ratio.";

  @TempDir Path dir;
  private Path docs;
  private Path store;

  @BeforeEach
  void writeDocuments() throws IOException {
    docs = Files.createDirectories(dir.resolve("docs"));
    Files.writeString(docs.resolve("cats.md"), CATS);
    Files.writeString(Files.createDirectories(docs.resolve("kitchen")).resolve("bread.md"), BREAD);
    Files.writeString(docs.resolve("rockets.txt"), ROCKETS);
    Files.writeString(docs.resolve("image.png"), "not a text document");
    store = dir.resolve("out/store.json");
  }

  @Test
  void withoutKeys_runsOffline_printsTheSummary_andFindsTheRightDocument() {
    String out =
        run(
            Map.of(),
            "--docs",
            docs.toString(),
            "--store",
            store.toString(),
            "How",
            "do",
            "I",
            "bake",
            "sourdough",
            "bread?");

    assertThat(out)
        .contains(
            "No OPENAI_API_KEY or COHERE_API_KEY set: embedding offline with the in-process "
                + "all-MiniLM-L6-v2 model");
    assertThat(out)
        .containsPattern(
            "Ingested 3 documents: Embedded 3 texts in 1 batch \\| [1-9]\\d* tokens "
                + "\\| \\$0\\.000000 \\| \\d+ ms");
    assertThat(out).contains("Question: How do I bake sourdough bread?");
    assertThat(line(out, "1. ")).endsWith("bread.md");
    assertThat(
            InMemoryEmbeddingStore.fromFile(store)
                .search(
                    EmbeddingSearchRequest.builder()
                        .queryEmbedding(Embedding.from(new float[384]))
                        .maxResults(10)
                        .build())
                .matches())
        .hasSize(3);
  }

  @Test
  void withOpenAiKey_usesOpenAi_atTheBaseUrl_andNeverPrintsTheKey() {
    try (EmbeddingEmulator emulator =
        EmbeddingEmulator.builder().apiKeys("sk-sample-secret").start()) {
      String out =
          run(
              Map.of("OPENAI_API_KEY", "sk-sample-secret", "OPENAI_BASE_URL", emulator.baseUrl()),
              "--docs",
              docs.toString(),
              "--store",
              store.toString(),
              BREAD);

      assertThat(out)
          .contains("Embedding with OpenAI text-embedding-3-small (OPENAI_API_KEY is set).");
      long documentTokens =
          EmbeddingEmulator.expectedTokens(CATS)
              + EmbeddingEmulator.expectedTokens(BREAD)
              + EmbeddingEmulator.expectedTokens(ROCKETS);
      assertThat(out).contains("Embedded 3 texts in 1 batch | " + documentTokens + " tokens | $");
      // The question is the text of bread.md, and OpenAI has no input types: the same vector, score
      // 1.
      assertThat(line(out, "1. ")).isEqualTo("1. 1.0000  bread.md");
      assertThat(emulator.stats().tokensBilled("text-embedding-3-small"))
          .isEqualTo(documentTokens + EmbeddingEmulator.expectedTokens(BREAD));
      assertThat(out).doesNotContain("sk-sample-secret");
    }
  }

  @Test
  void withCohereKey_embedsDocumentsAsSearchDocument_andTheQuestionAsSearchQuery() {
    String model = "embed-english-v3.0";
    String question = "What do cats do all day?";
    try (EmbeddingEmulator emulator = EmbeddingEmulator.builder().start()) {
      String out =
          run(
              Map.of("COHERE_API_KEY", "co-key", "COHERE_BASE_URL", emulator.baseUrl()),
              "--docs",
              docs.toString(),
              "--store",
              store.toString(),
              question);

      assertThat(out).contains("Embedding with Cohere embed-english-v3.0 (COHERE_API_KEY is set).");
      InMemoryEmbeddingStore<TextSegment> saved = InMemoryEmbeddingStore.fromFile(store);
      EmbeddingMatch<TextSegment> stored =
          top(saved, EmbeddingEmulator.expectedVector(model, "search_document", CATS));
      assertThat(stored.embedded().text()).isEqualTo(CATS);
      assertThat(stored.score()).isCloseTo(1.0, within(1e-6));
      EmbeddingMatch<TextSegment> best =
          top(saved, EmbeddingEmulator.expectedVector(model, "search_query", question));
      assertThat(line(out, "1. "))
          .isEqualTo(
              String.format(
                  Locale.ROOT,
                  "1. %.4f  %s",
                  best.score(),
                  best.embedded().metadata().getString("file_name")));
    }
  }

  @Test
  void withoutAQuestion_printsTheUsage() {
    String out = runExpecting(2, Map.of(), "--docs", docs.toString());

    assertThat(out).contains("Ask a question").contains(LangChain4jRag.USAGE);
  }

  @Test
  void badArguments_areNamed() {
    assertThat(runExpecting(2, Map.of(), "--doc", docs.toString(), "q"))
        .contains("Unknown option --doc");
    assertThat(runExpecting(2, Map.of(), "--docs", dir.resolve("missing").toString(), "q"))
        .contains("--docs " + dir.resolve("missing") + ": no such file or folder");
    assertThat(runExpecting(2, Map.of(), "q", "--store")).contains("--store needs a path");
  }

  @Test
  void folderWithoutTextDocuments_isReported() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("pictures"));
    Files.writeString(empty.resolve("cat.png"), "binary");

    assertThat(
            runExpecting(2, Map.of(), "--docs", empty.toString(), "--store", store.toString(), "q"))
        .contains("No .md, .txt or .adoc documents with text in [" + empty + "]");
  }

  @Test
  void repositoryRoot_isTheFolderOfTheParentPom_notOfAModule() throws IOException {
    Path root = Files.createDirectories(dir.resolve("checkout"));
    Files.writeString(
        root.resolve("pom.xml"), "<project><artifactId>embed4j-parent</artifactId></project>");
    Path module = Files.createDirectories(root.resolve("samples/rag"));
    Files.writeString(
        module.resolve("pom.xml"),
        "<project><parent><artifactId>embed4j-parent</artifactId>"
            + "</parent><artifactId>rag</artifactId></project>");

    assertThat(
            LangChain4jRag.findRepositoryRoot(Files.createDirectories(module.resolve("src/main"))))
        .contains(root.toAbsolutePath());
    assertThat(LangChain4jRag.findRepositoryRoot(dir)).isEmpty();
    // Surefire runs in this module's folder, two levels below the project's own root.
    assertThat(LangChain4jRag.findRepositoryRoot(Path.of("")))
        .hasValueSatisfying(
            found -> assertThat(found.resolve("samples/langchain4j-rag/pom.xml")).isRegularFile());
  }

  private static EmbeddingMatch<TextSegment> top(
      InMemoryEmbeddingStore<TextSegment> store, float[] query) {
    return store
        .search(
            EmbeddingSearchRequest.builder()
                .queryEmbedding(Embedding.from(query))
                .maxResults(1)
                .build())
        .matches()
        .get(0);
  }

  private static String line(String out, String prefix) {
    return out.lines()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no line starting with '" + prefix + "' in:\n" + out));
  }

  private static String run(Map<String, String> env, String... args) {
    return runExpecting(0, env, args);
  }

  private static String runExpecting(int status, Map<String, String> env, String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int exit = LangChain4jRag.run(args, env, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(exit).as("exit status; output:%n%s", out).isEqualTo(status);
    return out;
  }
}
