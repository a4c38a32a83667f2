package dev.embed4j.internal;

import dev.embed4j.Embed4jException;
import dev.embed4j.EmbeddedItem;
import dev.embed4j.EmbeddingSink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Where a run's done inputs go, each with its vector or error at its position: the seam between the
 * dispatch, which finishes inputs in any order, and what the caller gets. {@link InMemory} keeps
 * one slot per input for {@code embed(List)}; {@link Streamed} hands them to the user's sink, in
 * input order if asked, and gives their window permits back.
 */
interface ResultSink {

  /** Takes inputs that are done; called from any worker. */
  void deliver(List<Input> done);

  /** Every vector and error of a list run by input index; null where none. */
  final class InMemory implements ResultSink {
    final float[][] vectors;
    final Embed4jException[] errors;

    InMemory(int inputs) {
      this.vectors = new float[inputs][];
      this.errors = new Embed4jException[inputs];
    }

    @Override
    public void deliver(List<Input> done) {
      for (Input in : done) {
        vectors[in.position] = in.vector;
        errors[in.position] = in.vector == null ? in.error : null;
      }
    }
  }

  /**
   * A stream's sink, called under this object's lock so that calls never overlap. In order, done
   * inputs wait in a ring as long as the window (their positions are never further apart) until
   * those before them are done. A sink that throws is not called again; the failure is reported
   * once and the run stops.
   */
  final class Streamed implements ResultSink {
    private final EmbeddingSink<Object> sink;
    private final Semaphore window;
    private final Input[] ring;
    private final Consumer<Throwable> failed;
    private int next;
    private boolean broken;
    private int delivered;
    private int[] failedPositions = new int[16];
    private int failedCount;

    /**
     * @param ordered whether to deliver in input order
     * @param windowSize the window's permits
     * @param failed told once if the sink throws
     */
    Streamed(
        EmbeddingSink<Object> sink,
        boolean ordered,
        Semaphore window,
        int windowSize,
        Consumer<Throwable> failed) {
      this.sink = sink;
      this.window = window;
      this.ring = ordered ? new Input[windowSize] : null;
      this.failed = failed;
    }

    @Override
    public synchronized void deliver(List<Input> done) {
      if (ring == null) {
        hand(done);
        return;
      }
      for (Input in : done) {
        ring[in.position % ring.length] = in;
      }
      List<Input> ready = null;
      Input head;
      while ((head = ring[next % ring.length]) != null && head.position == next) {
        ring[next % ring.length] = null;
        next++;
        if (ready == null) {
          ready = new ArrayList<>();
        }
        ready.add(head);
      }
      if (ready != null) {
        hand(ready);
      }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void hand(List<Input> items) {
      try {
        for (Input in : items) {
          if (in.vector == null) {
            if (failedCount == failedPositions.length) {
              failedPositions = Arrays.copyOf(failedPositions, failedCount * 2);
            }
            failedPositions[failedCount++] = in.position;
          }
        }
        delivered += items.size();
        if (!broken) {
          sink.accept((List<EmbeddedItem<Object>>) (List) items);
        }
      } catch (Exception | Error e) {
        broken = true;
        failed.accept(e);
      } finally {
        window.release(items.size());
      }
    }

    synchronized int delivered() {
      return delivered;
    }

    /** The positions delivered with an error, ascending. */
    synchronized int[] failedPositions() {
      int[] sorted = Arrays.copyOf(failedPositions, failedCount);
      Arrays.sort(sorted);
      return sorted;
    }
  }
}
