package dev.embed4j.samples.rag;

import dev.embed4j.EmbedListener;
import dev.embed4j.Embedder;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.langchain4j.LangChain4jEmbeddingModel;
import dev.embed4j.langchain4j.LangChain4jEmbeddingProvider;
import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.loader.FileSystemDocumentLoader;
import dev.langchain4j.data.document.parser.TextDocumentParser;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.model.embedding.request.EmbeddingInputType;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Retrieval over a folder of documents with LangChain4j and Embed4j: loads and splits the
 * documents, embeds the segments in parallel batches into an in-memory store (saved to a file),
 * prints what the ingestion cost, then embeds a question and prints the closest passages.
 *
 * <pre>
 * mvn -B -q install -DskipTests
 * java -jar samples/langchain4j-rag/target/langchain4j-rag.jar "How does Embed4j handle rate limits?"
 * java -jar samples/langchain4j-rag/target/langchain4j-rag.jar --docs ~/notes --store notes.json "..."
 * </pre>
 *
 * <p>With {@code OPENAI_API_KEY} set it embeds with OpenAI {@code text-embedding-3-small}; with
 * {@code COHERE_API_KEY}, with Cohere {@code embed-english-v3.0} (documents as {@code
 * search_document}, the question as {@code search_query}); with neither, offline with the
 * in-process all-MiniLM-L6-v2. {@code OPENAI_BASE_URL} and {@code COHERE_BASE_URL} are honoured.
 * The documents default to the README.md and docs/ folder of the Embed4j checkout the program runs
 * in.
 */
public final class LangChain4jRag {
  static final String USAGE =
      "Usage: java -jar langchain4j-rag.jar [--docs PATH]... [--store FILE] \"question\"";

  private LangChain4jRag() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out));
  }

  /** The whole program; the environment is a parameter so that tests can choose the provider. */
  static int run(String[] args, Map<String, String> env, PrintStream out) {
    Arguments arguments;
    try {
      arguments = Arguments.parse(args, Path.of("").toAbsolutePath());
    } catch (IllegalArgumentException e) {
      out.println(e.getMessage());
      out.println(USAGE);
      return 2;
    }

    // 1. The embedder, and the LangChain4j model over it; an Embed4j listener keeps the last run.
    AtomicReference<EmbeddingRun> lastRun = new AtomicReference<>();
    EmbedListener keepRun =
        new EmbedListener() {
          @Override
          public void runFinished(EmbeddingRun run) {
            lastRun.set(run);
          }
        };
    Choice choice = chooseEmbedder(env, keepRun);
    out.println(choice.description());

    try (Embedder embedder = choice.embedder()) {
      LangChain4jEmbeddingModel model = LangChain4jEmbeddingModel.builder(embedder).build();
      // Cohere takes input types (documents and questions are embedded differently); the others
      // none.
      EmbeddingInputType documentType =
          embedder.acceptsInputType() ? EmbeddingInputType.DOCUMENT : null;
      EmbeddingInputType queryType = embedder.acceptsInputType() ? EmbeddingInputType.QUERY : null;

      // 2. Ingest: load, split, embed (parallel, token-aware batches), store and save.
      List<Document> documents = loadDocuments(arguments.docs());
      InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
      EmbeddingStoreIngestor.builder()
          .documentSplitter(DocumentSplitters.recursive(800, 80))
          .embeddingModel(model)
          .embeddingInputType(documentType)
          .embeddingStore(store)
          .build()
          .ingest(documents);
      out.println("Ingested " + documents.size() + " documents: " + lastRun.get().summary());
      Files.createDirectories(arguments.store().toAbsolutePath().getParent());
      store.serializeToFile(arguments.store());
      out.println("Saved the embedding store to " + arguments.store());

      // 3. Ask: embed the question and find the closest segments.
      Embedding question =
          model
              .embed(
                  EmbeddingRequest.builder()
                      .input(arguments.question())
                      .inputType(queryType)
                      .build())
              .embeddings()
              .get(0);
      List<EmbeddingMatch<TextSegment>> matches =
          store
              .search(
                  EmbeddingSearchRequest.builder().queryEmbedding(question).maxResults(3).build())
              .matches();
      out.println();
      out.println("Question: " + arguments.question());
      for (int i = 0; i < matches.size(); i++) {
        EmbeddingMatch<TextSegment> match = matches.get(i);
        out.printf(
            Locale.ROOT,
            "%d. %.4f  %s%n   %s%n",
            i + 1,
            match.score(),
            match.embedded().metadata().getString(Document.FILE_NAME),
            excerpt(match.embedded().text()));
      }
      return 0;
    } catch (IllegalArgumentException e) {
      out.println(e.getMessage());
      return 2;
    } catch (LangChain4jException e) {
      out.println("Embedding failed: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      out.println("Could not save the embedding store: " + e.getMessage());
      return 1;
    }
  }

  /**
   * OpenAI or Cohere when core finds their key in {@code env} ({@link
   * Embedder.Builder#apiKeyFound()}: the {@code embed4j.<provider>.api-key} entry, else the
   * provider's own variable), otherwise the offline in-process model. Core reads the base URLs from
   * {@code env} too.
   */
  static Choice chooseEmbedder(Map<String, String> env, EmbedListener listener) {
    Embedder.Builder openAi =
        Embedder.builder()
            .model("text-embedding-3-small")
            .environment(env::get)
            .listener(listener)
            .showProgress(true);
    if (openAi.apiKeyFound()) {
      return new Choice(
          "Embedding with OpenAI text-embedding-3-small (OPENAI_API_KEY is set).", openAi.build());
    }
    Embedder.Builder cohere =
        Embedder.builder()
            .model("embed-english-v3.0")
            .environment(env::get)
            .listener(listener)
            .showProgress(true);
    if (cohere.apiKeyFound()) {
      return new Choice(
          "Embedding with Cohere embed-english-v3.0 (COHERE_API_KEY is set).", cohere.build());
    }
    Embedder offline =
        LangChain4jEmbeddingProvider.allMiniLmL6V2().listener(listener).showProgress(true).build();
    return new Choice(
        "No OPENAI_API_KEY or COHERE_API_KEY set: embedding offline with the in-process "
            + "all-MiniLM-L6-v2 model ($0).",
        offline);
  }

  /** The embedder to use, and what to tell the user about it. */
  record Choice(String description, Embedder embedder) {}

  /** Markdown, text and AsciiDoc files: the given files, and those under the given folders. */
  static List<Document> loadDocuments(List<Path> paths) {
    PathMatcher textFiles =
        FileSystems.getDefault().getPathMatcher("glob:**.{md,markdown,txt,adoc}");
    List<Document> documents = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        documents.addAll(
            FileSystemDocumentLoader.loadDocumentsRecursively(
                path, textFiles, new TextDocumentParser()));
      } else {
        documents.add(FileSystemDocumentLoader.loadDocument(path, new TextDocumentParser()));
      }
    }
    if (documents.isEmpty()) {
      throw new IllegalArgumentException("No .md, .txt or .adoc documents with text in " + paths);
    }
    return documents;
  }

  private static String excerpt(String text) {
    String line = text.replaceAll("\\s+", " ").trim();
    return line.length() <= 160 ? line : line.substring(0, 157) + "...";
  }

  /** The command line: documents, where to save the store, and the question. */
  record Arguments(List<Path> docs, Path store, String question) {

    /**
     * @throws IllegalArgumentException with a message for the user, for a missing question, an
     *     unknown option, a path that does not exist, or no default documents
     */
    static Arguments parse(String[] args, Path workingDirectory) {
      List<Path> docs = new ArrayList<>();
      Path store = Path.of("target", "rag-store.json");
      List<String> words = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (arg.equals("--docs") || arg.equals("--store")) {
          if (i + 1 == args.length) {
            throw new IllegalArgumentException(arg + " needs a path");
          }
          Path path = Path.of(args[++i]);
          if (arg.equals("--store")) {
            store = path;
          } else if (Files.exists(path)) {
            docs.add(path);
          } else {
            throw new IllegalArgumentException("--docs " + path + ": no such file or folder");
          }
        } else if (arg.startsWith("--")) {
          throw new IllegalArgumentException("Unknown option " + arg);
        } else {
          words.add(arg);
        }
      }
      String question = String.join(" ", words).trim();
      if (question.isEmpty()) {
        throw new IllegalArgumentException(
            "Ask a question, e.g. \"How does Embed4j handle rate limits?\"");
      }
      return new Arguments(docs.isEmpty() ? defaultDocs(workingDirectory) : docs, store, question);
    }

    /** The README.md and docs/ folder of the Embed4j checkout around {@code workingDirectory}. */
    private static List<Path> defaultDocs(Path workingDirectory) {
      Path root =
          findRepositoryRoot(workingDirectory)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "No Embed4j checkout (a pom.xml with artifactId embed4j-parent) around "
                              + workingDirectory
                              + ": run from inside it, or pass --docs PATH"));
      List<Path> docs = new ArrayList<>();
      for (Path candidate : List.of(root.resolve("README.md"), root.resolve("docs"))) {
        if (Files.exists(candidate)) {
          docs.add(candidate);
        }
      }
      if (docs.isEmpty()) {
        throw new IllegalArgumentException(
            "Neither README.md nor docs/ exists in " + root + ": pass --docs PATH");
      }
      return docs;
    }
  }

  /** The closest folder at or above {@code start} whose pom.xml is the Embed4j parent pom. */
  static Optional<Path> findRepositoryRoot(Path start) {
    for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path pom = dir.resolve("pom.xml");
      if (Files.isRegularFile(pom) && isParentPom(pom)) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }

  private static boolean isParentPom(Path pom) {
    try {
      // A module's pom names embed4j-parent too, inside <parent>: look at the project's own
      // artifactId.
      String own = Files.readString(pom).replaceAll("(?s)<parent>.*?</parent>", "");
      return own.contains("<artifactId>embed4j-parent</artifactId>");
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + pom, e);
    }
  }
}
