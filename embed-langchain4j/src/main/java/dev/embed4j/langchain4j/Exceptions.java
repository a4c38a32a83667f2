package dev.embed4j.langchain4j;

import dev.embed4j.BatchOutcome;
import dev.embed4j.Embed4jException;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.IncompleteRunException;
import dev.embed4j.InvalidInputException;
import dev.embed4j.ProviderException;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.TimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Translates failures between the two exception hierarchies, in both directions. */
final class Exceptions {
  private Exceptions() {}

  /**
   * An Embed4j failure as the LangChain4j exception a LangChain4j user catches. The message is
   * Embed4j's (it names the failed batches and input indices); the Embed4j exception is the cause,
   * so an {@link IncompleteRunException} and its run stay reachable.
   */
  static RuntimeException toLangChain4j(Throwable error) {
    Throwable e = unwrap(error);
    if (e instanceof LangChain4jException) {
      return (LangChain4jException) e;
    }
    if (!(e instanceof Embed4jException)) {
      return e instanceof RuntimeException
          ? (RuntimeException) e
          : new LangChain4jException(e.getMessage(), e);
    }
    String message = e.getMessage();
    Throwable reason = reason((Embed4jException) e);
    if (reason instanceof InvalidInputException) {
      return new InvalidRequestException(message, e);
    }
    if (reason instanceof dev.embed4j.AuthenticationException) {
      return new AuthenticationException(message, e);
    }
    if (reason instanceof dev.embed4j.RateLimitException) {
      return new RateLimitException(message, e);
    }
    if (reason instanceof ProviderException) {
      ProviderException p = (ProviderException) reason;
      int status = p.statusCode();
      if (status == 404) {
        return new ModelNotFoundException(message, e);
      }
      if (status == 408
          || (status == 0 && p.getCause() instanceof java.io.InterruptedIOException)) {
        return new TimeoutException(message, e);
      }
      if (status >= 500) {
        return new InternalServerException(message, e);
      }
      if (p.isRetryable()) {
        return new RetriableException(message, e);
      }
      if (status == 400 || status == 422) {
        return new InvalidRequestException(message, e);
      }
      return new NonRetriableException(message, e);
    }
    return new LangChain4jException(message, e);
  }

  /**
   * What a failed run's type should follow: the first provider failure among its failed batches
   * (others may only say "not sent: the run stopped after batch N failed"), else its first error.
   */
  private static Throwable reason(Embed4jException e) {
    if (!(e instanceof IncompleteRunException)) {
      return e;
    }
    EmbeddingRun run = ((IncompleteRunException) e).run();
    if (run != null) {
      for (BatchOutcome batch : run.failedBatches()) {
        for (Throwable t = batch.error().orElse(null); t != null; t = t.getCause()) {
          if (t instanceof ProviderException || t instanceof InvalidInputException) {
            return t;
          }
        }
      }
    }
    return e.getCause() != null ? e.getCause() : e;
  }

  /**
   * A LangChain4j model's failure as the {@link ProviderException} the engine classifies. What
   * LangChain4j knows goes into the builder, which decides the type: a {@code RateLimitException}
   * is a 429 (retried, pauses the pool) and an {@code AuthenticationException} a 401 or 403 (stops
   * the run) even without an HTTP status; other {@code RetriableException}s are retryable and
   * anything else that is not an {@code HttpException} is not, whatever the status in its causes;
   * an {@code HttpException} is classified by its status. A 429 that LangChain4j says not to retry
   * is kept non-retryable, without its status (core's builder would make it a rate limit).
   */
  static ProviderException toEmbed4j(RuntimeException e, String provider, String model) {
    int status = statusOf(e);
    if (e instanceof RateLimitException) {
      status = 429;
    } else if (e instanceof AuthenticationException) {
      status = status == 403 ? 403 : 401;
    } else if (status == 429 && e instanceof NonRetriableException) {
      status = 0;
    }
    ProviderException.Builder failure = ProviderException.builder(provider, model).status(status);
    if (!(e instanceof HttpException)) {
      failure.retryable(e instanceof RetriableException);
    }
    return failure
        .cause(e)
        .build(
            "LangChain4j model "
                + model
                + " failed: "
                + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()));
  }

  /** The HTTP status in {@code e}'s cause chain, or 0 if none is known. */
  private static int statusOf(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpException) {
        return ((HttpException) t).statusCode();
      }
    }
    return 0;
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
