package dev.embed4j.samples.springai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.Embedder;
import dev.embed4j.spring.autoconfigure.Embed4jRunEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/** Starts the sample as {@code java -jar} would, with no key, on a tiny folder of documents. */
@ExtendWith(OutputCaptureExtension.class)
class VectorStoreSampleTests {

  @Test
  void withoutAKey_indexesOfflineInOneRunAndAnswersTheQuestion(
      @TempDir Path docs, CapturedOutput output) throws Exception {
    Files.writeString(
        docs.resolve("cats.md"),
        "# Cats\n\nCats are small, furry animals. A cat purrs when it is "
            + "content, and sleeps for most of the day.");
    Files.writeString(
        docs.resolve("compilers.md"),
        "# Compilers\n\nA compiler translates source code into machine "
            + "code. The Java compiler emits bytecode that the JVM runs.");
    Files.writeString(
        docs.resolve("bread.txt"),
        "Baking bread: mix flour, water, salt and yeast, knead the dough, "
            + "let it rise, and bake it in a hot oven.");

    SpringApplication application = new SpringApplication(VectorStoreSample.class, RunEvents.class);
    try (ConfigurableApplicationContext context =
        application.run(
            "--docs=" + docs, "Which", "animal", "purrs", "when", "it", "is", "happy?")) {
      QuestionAnswerer.Answer answer = context.getBean(QuestionAnswerer.class).answer();
      assertThat(answer.question()).isEqualTo("Which animal purrs when it is happy?");
      assertThat(answer.matches()).hasSize(3);
      assertThat(answer.matches().get(0).getMetadata()).containsEntry("source", "cats.md");

      assertThat(context.getBean(Embedder.class).model().id())
          .isEqualTo("langchain4j:all-minilm-l6-v2");
      assertThat(output)
          .contains("embeds offline with the in-process all-MiniLM-L6-v2 model")
          .contains("Q: Which animal purrs when it is happy?")
          .contains("cats.md");
      // the three chunks in one run (the batched path), then the question in another
      assertThat(context.getBean(RunEvents.class).runs)
          .extracting(Embed4jRunEvent::texts)
          .containsExactly(3, 1);
      assertThat(context.getBean(RunEvents.class).runs)
          .allSatisfy(run -> assertThat(run.complete()).isTrue());
    }
  }

  @Test
  void withoutAQuestion_printsTheUsageAndExitsWithCode2(@TempDir Path docs, CapturedOutput output) {
    try (ConfigurableApplicationContext context =
        SpringApplication.run(VectorStoreSample.class, "--docs=" + docs)) {
      assertThat(SpringApplication.exit(context)).isEqualTo(2);
      assertThat(output.getErr())
          .contains("No question given.")
          .contains("Usage: java -jar spring-ai-vectorstore.jar");
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class RunEvents {
    final List<Embed4jRunEvent> runs = new CopyOnWriteArrayList<>();

    @Bean
    RunEvents.Collector runEventCollector() {
      return new Collector(this);
    }

    record Collector(RunEvents events) {
      @EventListener
      void on(Embed4jRunEvent run) {
        events.runs.add(run);
      }
    }
  }
}
