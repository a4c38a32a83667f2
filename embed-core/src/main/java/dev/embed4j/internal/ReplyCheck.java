package dev.embed4j.internal;

import dev.embed4j.Embed4jException;
import dev.embed4j.ModelSpec;
import dev.embed4j.ProviderException;
import dev.embed4j.spi.EmbeddingProvider;
import java.io.IOException;
import java.util.List;

/**
 * What an attempt came to when it did not simply succeed: a reply that cannot be used (wrong count,
 * a missing vector, wrong dimensions) is a retryable failure of the batch, never a shifted or
 * missing vector; a failed call becomes the exception the retry policy decides on.
 */
final class ReplyCheck {
  private ReplyCheck() {}

  /** Null if every vector is there with the right dimensions; else the failure. */
  static Embed4jException unusable(
      EmbeddingProvider.Result result,
      Batch batch,
      int dimensions,
      String provider,
      ModelSpec model) {
    String problem = null;
    List<float[]> got = result.vectors();
    if (got.size() != batch.size()) {
      problem = "the reply had " + got.size() + " embeddings for " + batch.size() + " texts";
    } else {
      for (int i = 0; i < got.size() && problem == null; i++) {
        float[] v = got.get(i);
        if (v == null) {
          problem = "the reply had no embedding for text " + i + " of the batch";
        } else if (v.length != dimensions) {
          problem =
              "the reply's embedding " + i + " has " + v.length + " dimensions, not " + dimensions;
        }
      }
    }
    return problem == null
        ? null
        : ProviderException.builder(provider, model.name())
            .status(200)
            .retryable(true)
            .build("Unusable reply for batch " + batch.id() + ": " + problem);
  }

  /** A call that threw: a transport failure is retryable (no reply), anything else is not. */
  static Embed4jException failure(
      Exception e, String provider, ModelSpec model, Batch batch, RunControl control) {
    if (e instanceof Embed4jException) {
      return (Embed4jException) e;
    }
    if (e instanceof IOException) {
      String message = e.getMessage();
      return ProviderException.builder(provider, model.name())
          .cause(e)
          .build(
              "Request failed "
                  + "before a reply was received: "
                  + e.getClass().getSimpleName()
                  + (message == null ? "" : ": " + message));
    }
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      Embed4jException stopped = control.stopped();
      return stopped != null
          ? stopped
          : new Embed4jException("Not embedded: the worker was interrupted");
    }
    return new Embed4jException(
        "Provider " + provider + " failed on batch " + batch.id() + ": " + e, e);
  }
}
