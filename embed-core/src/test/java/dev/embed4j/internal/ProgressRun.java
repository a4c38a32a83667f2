package dev.embed4j.internal;

import dev.embed4j.Embedder;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.ModelSpec;
import dev.embed4j.spi.EmbeddingProvider;
import java.util.ArrayList;
import java.util.List;

/** A run with progress on, made inside whatever class loader loaded this class. */
final class ProgressRun {
  private ProgressRun() {}

  static String run() {
    EmbeddingProvider instant =
        new EmbeddingProvider() {
          @Override
          public String id() {
            return "instant";
          }

          @Override
          public Result embed(Request request) {
            List<float[]> vectors = new ArrayList<>();
            request.texts().forEach(t -> vectors.add(new float[] {1f, 2f}));
            return new Result(vectors, 3, Limits.UNKNOWN);
          }
        };
    // The reporter the engine adds for showProgress(true), as it is with a console present.
    ProgressReporter reporter = new ProgressReporter(ProgressReporter.consoleAvailable(true));
    try (Embedder embedder =
        Embedder.builder()
            .provider(instant)
            .model(ModelSpec.builder("instant", "m").dimensions(2).build())
            .showProgress(true)
            .listener(reporter)
            .build()) {
      EmbeddingRun run = embedder.embed(List.of("a", "b", "c"));
      return run.summary().substring(0, run.summary().indexOf(" |"));
    }
  }
}
