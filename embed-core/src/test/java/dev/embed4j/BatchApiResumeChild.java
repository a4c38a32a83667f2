package dev.embed4j;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The first JVM of {@link BatchApiModeTest#aNewJvmCollectsTheJobAnOldJvmSubmitted}: submits the
 * run, waits until its job is in progress, and dies without closing anything ({@code halt}).
 * Arguments: the emulator's base URL, the state directory, the number of texts.
 */
public final class BatchApiResumeChild {
  private BatchApiResumeChild() {}

  public static void main(String[] args) throws Exception {
    CountDownLatch inProgress = new CountDownLatch(1);
    Embedder embedder =
        BatchApiModeTest.resumable(args[0], Path.of(args[1]))
            .listener(
                new EmbedListener() {
                  @Override
                  public void batchJobUpdated(
                      String runId, String jobId, String status, int done, int failed, int all) {
                    if (status.equals("in_progress")) {
                      inProgress.countDown();
                    }
                  }
                })
            .batchPollInterval(Duration.ofMillis(10))
            .build();
    embedder.embedAsync(BatchApiModeTest.texts(Integer.parseInt(args[2])));
    boolean seen = inProgress.await(30, TimeUnit.SECONDS);
    Runtime.getRuntime().halt(seen ? 0 : 3);
  }
}
