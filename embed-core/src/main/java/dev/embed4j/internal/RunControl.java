package dev.embed4j.internal;

import dev.embed4j.Embed4jException;
import dev.embed4j.StopReason;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a run may go on: cancellation, the deadline, and stopping. Knows nothing about HTTP.
 *
 * <p>Two ways to stop, each recorded once with its {@link StopReason}: {@link #stopSending} sends
 * no new request but lets those under way finish (over budget, key rejected, quota exhausted);
 * {@link #abort} also cancels the calls under way through the actions registered with {@link
 * #onCancel} (cancelled, deadline passed, embedder closed). Waits made through {@link #sleep} end
 * early on an abort.
 */
final class RunControl {
  private static final Logger log = LoggerFactory.getLogger(RunControl.class);

  private final String runId;
  private final Clock clock;
  private final Duration runTimeout;
  private final long deadlineNanos;
  private final AtomicReference<Embed4jException> stopSending = new AtomicReference<>();
  private final AtomicReference<Embed4jException> aborted = new AtomicReference<>();
  private final CountDownLatch abortLatch = new CountDownLatch(1);
  private final Set<Runnable> cancelActions = ConcurrentHashMap.newKeySet();
  private volatile ScheduledFuture<?> deadlineTimer;

  RunControl(String runId, Duration runTimeout, Clock clock) {
    this.runId = runId;
    this.clock = clock;
    this.runTimeout = runTimeout;
    this.deadlineNanos =
        runTimeout == null ? Long.MAX_VALUE : clock.nanoTime() + runTimeout.toNanos();
  }

  /** Aborts the run at its deadline, if it has one. */
  void startDeadline(ScheduledExecutorService timer) {
    if (runTimeout != null) {
      deadlineTimer =
          timer.schedule(this::deadlinePassed, runTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  void deadlinePassed() {
    abort(
        StopReason.DEADLINE_PASSED,
        "Not embedded: run "
            + runId
            + " passed its runTimeout of "
            + runTimeout
            + " before this batch was done");
  }

  void finished() {
    ScheduledFuture<?> timer = deadlineTimer;
    if (timer != null) {
      timer.cancel(false);
    }
  }

  /** Why the run no longer sends, or null while it does. */
  Embed4jException stopped() {
    Embed4jException a = aborted.get();
    return a != null ? a : stopSending.get();
  }

  /** Whether the run was aborted (cancelled, past its deadline, embedder closed). */
  boolean isAborted() {
    return aborted.get() != null;
  }

  /** Whether {@code failure} is the abort's own echo (a call cancelled by it). */
  boolean isAbortReason(Embed4jException failure) {
    return failure != null && failure == aborted.get();
  }

  /** No new request is sent; those under way finish. The first reason wins. */
  void stopSending(StopReason reason, String message, Throwable cause) {
    stopSending.compareAndSet(null, new Embed4jException(reason, message, cause));
  }

  /** No new request is sent, and those under way are cancelled. The first reason wins. */
  void abort(StopReason reason, String message) {
    if (aborted.compareAndSet(null, new Embed4jException(reason, message, null))) {
      abortLatch.countDown();
      for (Runnable action : cancelActions) {
        try {
          action.run();
        } catch (RuntimeException e) {
          log.debug("Cancelling a call of run {} failed", runId, e);
        }
      }
    }
  }

  /** Runs {@code action} on an abort, at once if the run is aborted; returns its unregistration. */
  Runnable onCancel(Runnable action) {
    cancelActions.add(action);
    if (aborted.get() != null) {
      action.run();
    }
    return () -> cancelActions.remove(action);
  }

  /** The time left before the deadline, never negative; very long without one. */
  Duration timeLeft() {
    return deadlineNanos == Long.MAX_VALUE
        ? Duration.ofNanos(Long.MAX_VALUE)
        : Duration.ofNanos(Math.max(0, deadlineNanos - clock.nanoTime()));
  }

  /** Sleeps up to the deadline, waking early on an abort; false if the run was aborted. */
  boolean sleep(long nanos) {
    try {
      long left = Math.min(nanos, timeLeft().toNanos());
      if (left > 0 && abortLatch.await(left, TimeUnit.NANOSECONDS)) {
        return false;
      }
      return aborted.get() == null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
