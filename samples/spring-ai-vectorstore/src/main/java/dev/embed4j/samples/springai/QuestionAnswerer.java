package dev.embed4j.samples.springai;

import dev.embed4j.Embedder;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.document.Document;
import org.springframework.ai.transformer.splitter.TokenTextSplitter;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.stereotype.Component;

/**
 * Reads and chunks the documents, adds them to the vector store, and prints the best matches for
 * the question. A missing question or documents are reported on standard error with exit code 2.
 */
@Component
class QuestionAnswerer implements ApplicationRunner, ExitCodeGenerator {
  private static final Logger log = LoggerFactory.getLogger(QuestionAnswerer.class);
  private static final String USAGE =
      "Usage: java -jar spring-ai-vectorstore.jar \"your question\" [--docs=PATH]";

  private final VectorStore vectorStore;
  private final Embedder embedder;
  private volatile Answer answer;
  private volatile int exitCode;

  QuestionAnswerer(VectorStore vectorStore, Embedder embedder) {
    this.vectorStore = vectorStore;
    this.embedder = embedder;
  }

  @Override
  public void run(ApplicationArguments args) {
    String question = String.join(" ", args.getNonOptionArgs()).trim();
    List<String> docsOption = args.getOptionValues("docs");
    Path docs = docsOption == null || docsOption.isEmpty() ? null : Path.of(docsOption.get(0));
    List<Document> files;
    try {
      if (question.isEmpty()) {
        throw new IllegalArgumentException("No question given.");
      }
      files = DocumentFolder.read(docs);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "\n" + USAGE);
      exitCode = 2;
      return;
    }
    List<Document> chunks = TokenTextSplitter.builder().withChunkSize(256).build().apply(files);
    log.info(
        "Indexing {} chunks of {} files with {} ({} dimensions)",
        chunks.size(),
        files.size(),
        embedder.model().id(),
        embedder.dimensions());
    vectorStore.add(chunks);

    List<Document> matches =
        vectorStore.similaritySearch(SearchRequest.builder().query(question).topK(3).build());
    answer = new Answer(question, matches);
    System.out.println();
    System.out.println("Q: " + question);
    for (int i = 0; i < matches.size(); i++) {
      Document match = matches.get(i);
      System.out.printf(
          "%d. %.3f  %s%n   %s%n",
          i + 1, match.getScore(), match.getMetadata().get("source"), excerpt(match.getText()));
    }
  }

  @Override
  public int getExitCode() {
    return exitCode;
  }

  /** The question and its best matches, once {@link #run} is done. */
  Answer answer() {
    return answer;
  }

  private static String excerpt(String text) {
    String flat = text == null ? "" : text.replaceAll("\\s+", " ").trim();
    return flat.length() <= 200 ? flat : flat.substring(0, 200) + "...";
  }

  record Answer(String question, List<Document> matches) {}
}
