package dev.embed4j.internal;

import dev.embed4j.EmbeddedItem;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.EmbeddingSink;
import dev.embed4j.EmbeddingStream;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/** An {@link EmbeddingStream}: its options until it is started, once, on its engine. */
final class Streaming<T> implements EmbeddingStream<T> {
  private final Engine engine;
  private final Iterator<? extends T> items;
  private final Function<? super T, String> text;
  private final Runnable onClose;
  private final AtomicBoolean started = new AtomicBoolean();
  private boolean ordered;
  private int expectedSize = -1;

  Streaming(
      Engine engine,
      Iterator<? extends T> items,
      Function<? super T, String> text,
      Runnable close) {
    this.engine = engine;
    this.items = items;
    this.text = text;
    this.onClose = close;
  }

  @Override
  public EmbeddingStream<T> ordered(boolean ordered) {
    this.ordered = ordered;
    return this;
  }

  @Override
  public EmbeddingStream<T> expectedSize(int items) {
    if (items < 0) {
      throw new IllegalArgumentException("expectedSize must not be negative, was " + items);
    }
    this.expectedSize = items;
    return this;
  }

  @Override
  public EmbeddingRun to(EmbeddingSink<T> sink) {
    return Engine.await(toAsync(sink));
  }

  @Override
  public CompletableFuture<EmbeddingRun> toAsync(EmbeddingSink<T> sink) {
    Objects.requireNonNull(sink, "sink");
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("This stream was already started: a stream runs once");
    }
    return engine.startStream(items, text, onClose, sink, ordered, expectedSize);
  }

  @Override
  public Flow.Publisher<EmbeddedItem<T>> publisher() {
    return subscriber -> {
      Objects.requireNonNull(subscriber, "subscriber");
      new Subscription(subscriber).start();
    };
  }

  /**
   * Hands items to a subscriber as it requests them: the sink waits for demand, which holds the
   * run's window full and so stops reading until the subscriber asks for more.
   */
  private final class Subscription implements Flow.Subscription {
    private final Flow.Subscriber<? super EmbeddedItem<T>> subscriber;
    private long demand;
    private boolean cancelled;
    private CompletableFuture<EmbeddingRun> run;

    Subscription(Flow.Subscriber<? super EmbeddedItem<T>> subscriber) {
      this.subscriber = subscriber;
    }

    void start() {
      subscriber.onSubscribe(this);
      try {
        CompletableFuture<EmbeddingRun> future = toAsync(this::deliver);
        synchronized (this) {
          run = future;
          if (cancelled) {
            future.cancel(true);
          }
        }
        future.whenComplete(
            (r, e) -> {
              Throwable cause = e instanceof CompletionException ? e.getCause() : e;
              if (cause == null) {
                subscriber.onComplete();
              } else if (!(cause instanceof CancellationException) && !isCancelled()) {
                subscriber.onError(cause);
              }
            });
      } catch (RuntimeException e) {
        subscriber.onError(e);
      }
    }

    private void deliver(java.util.List<EmbeddedItem<T>> items) throws InterruptedException {
      for (EmbeddedItem<T> item : items) {
        synchronized (this) {
          while (demand == 0 && !cancelled) {
            wait();
          }
          if (cancelled) {
            throw new CancellationException("The subscriber cancelled");
          }
          demand--;
        }
        subscriber.onNext(item);
      }
    }

    private synchronized boolean isCancelled() {
      return cancelled;
    }

    @Override
    public synchronized void request(long n) {
      if (n <= 0) {
        cancelled = true;
        notifyAll();
        subscriber.onError(
            new IllegalArgumentException("Flow.Subscription.request(" + n + "): n must be > 0"));
        return;
      }
      demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
      notifyAll();
    }

    @Override
    public void cancel() {
      CompletableFuture<EmbeddingRun> future;
      synchronized (this) {
        cancelled = true;
        notifyAll();
        future = run;
      }
      if (future != null) {
        future.cancel(true);
      }
    }
  }
}
