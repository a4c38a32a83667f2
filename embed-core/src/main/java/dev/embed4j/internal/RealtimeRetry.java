package dev.embed4j.internal;

import dev.embed4j.Embed4jException;
import dev.embed4j.ModelSpec;
import dev.embed4j.spi.EmbeddingProvider;

/**
 * A Batch API line sent again through the realtime endpoint ({@code batchRetryRealtime}): one
 * batch, its attempts under the run's {@link RetryPolicy}, its reply checked as the dispatch checks
 * one. Sequential, without the realtime pacing: meant for the few lines a job failed.
 */
final class RealtimeRetry {
  private RealtimeRetry() {}

  /**
   * The checked reply.
   *
   * @throws Embed4jException the last failure, once the policy or the run says stop
   */
  static EmbeddingProvider.Result send(Dispatch.Context context, Batch b, RunControl control) {
    Settings settings = context.settings();
    ModelSpec model = settings.model;
    String provider = context.provider().id();
    BatchRequest request = new BatchRequest(b, settings, control);
    for (int attempt = 1; ; attempt++) {
      Embed4jException failure;
      try {
        EmbeddingProvider.Result result = context.provider().embed(request);
        failure = ReplyCheck.unusable(result, b, settings.dims, provider, model);
        if (failure == null) {
          return result;
        }
      } catch (Exception e) {
        failure = ReplyCheck.failure(e, provider, model, b, control);
      }
      RetryPolicy.Decision d = context.policy().decide(failure, attempt);
      if (!d.retry() || !control.sleep(d.delay().toNanos())) {
        throw control.isAborted() ? control.stopped() : failure;
      }
    }
  }
}
