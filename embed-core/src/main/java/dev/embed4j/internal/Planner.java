package dev.embed4j.internal;

import dev.embed4j.Embed4jException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a run's input lazily and turns it into {@link Step}s, one at a time for whichever worker is
 * free: the inputs that are done without a request (invalid texts, cache hits, remembered
 * duplicates) and the next batch of the others. Each input read takes a permit of the run's window
 * of undelivered inputs, given back when the sink has it, so a stream reads no faster than its
 * results are delivered; a step that would have to wait for a permit while it holds inputs closes
 * early instead (those inputs may be the ones the sink is waiting for).
 *
 * <p>An input goes: read and prepared ({@link Source}), keyed for the cache, registered with the
 * {@link Dedupe} (a follower waits for its leader), then, with the others of its step, looked up in
 * the cache in one {@code get}: hits are done, misses fill the batch up to the count limit and the
 * per-request token cap. An input that does not fit is carried to the next step. With a cache, a
 * step reads on while hits leave room in its batch.
 */
final class Planner {

  /** Inputs done without a request, and the next batch to send (either may be empty or null). */
  record Step(List<Input> done, Batch batch) {}

  /** The run's input, read one at a time; null at its end. */
  interface Source {
    Input next();
  }

  private final Source source;
  private final Dedupe dedupe;
  private final CacheAccess cache;
  private final CacheKeys keys;
  private final Semaphore window;
  private final RunControl control;
  private final int maxInputs;
  private final long maxTokens;
  private final boolean wholeInput;
  private final AtomicInteger nextBatchId; // shared with Split (issue 12): halves' ids
  private int read;
  private Input carry;
  private boolean exhausted;
  private boolean noRoom;
  private RuntimeException failure; // of the input, thrown once what was read before it is out

  /**
   * @param dedupe null without dedupe
   * @param cache null without a cache (then {@code keys} is null too)
   * @param window null for a list run, which holds all its results anyway
   * @param wholeInput whether a stopped run still plans every input (a list run, whose every batch
   *     then fails with the stop's reason without being sent) rather than stop reading
   */
  Planner(
      Source source,
      Dedupe dedupe,
      CacheAccess cache,
      CacheKeys keys,
      Semaphore window,
      RunControl control,
      int maxInputs,
      long maxTokens,
      boolean wholeInput,
      int firstBatchId) {
    this.source = source;
    this.dedupe = dedupe;
    this.cache = cache;
    this.keys = keys;
    this.window = window;
    this.control = control;
    this.maxInputs = maxInputs;
    this.maxTokens = maxTokens;
    this.wholeInput = wholeInput;
    this.nextBatchId = new AtomicInteger(firstBatchId);
  }

  /** A new batch id of this run; lock-free, so a worker may take one while another plans. */
  int batchId() {
    return nextBatchId.getAndIncrement();
  }

  /** Inputs read so far. */
  synchronized int read() {
    return read;
  }

  /**
   * The next step, or null when the input is exhausted or the run stopped.
   *
   * @throws RuntimeException what the input iterator or the text function threw
   */
  synchronized Step next() throws InterruptedException {
    if (failure != null && carry == null) {
      RuntimeException e = failure;
      failure = null;
      throw e;
    }
    List<Input> done = new ArrayList<>();
    Embed4jException stop = control.stopped();
    if (stop != null && !wholeInput) {
      if (carry == null) {
        return null;
      }
      Input c = carry;
      carry = null;
      c.error = stop;
      done.add(c);
      if (dedupe != null) {
        done.addAll(dedupe.done(c));
      }
      return new Step(done, null);
    }
    noRoom = false;
    List<Input> batch = new ArrayList<>();
    long tokens = 0;
    while (true) {
      List<Input> candidates = new ArrayList<>();
      long candidateTokens = 0;
      boolean full = false;
      while (done.size() < maxInputs) {
        Input in;
        if (carry != null) {
          in = carry;
          carry = null;
        } else {
          boolean holding = !done.isEmpty() || !batch.isEmpty() || !candidates.isEmpty();
          try {
            in = read(holding);
          } catch (RuntimeException e) {
            if (!holding) {
              throw e;
            }
            failure = e; // send what was read first
            in = null;
          }
          if (in == null) {
            break;
          }
          if (in.error != null) {
            done.add(in);
            continue;
          }
          if (dedupe != null && dedupe.follows(in)) {
            if (in.vector != null) {
              done.add(in); // a vector remembered from earlier in the run
            }
            continue;
          }
        }
        int size = batch.size() + candidates.size();
        if (!Batch.fits(size, tokens + candidateTokens, in, maxInputs, maxTokens)
            && size < maxInputs
            && (countExactly(batch) | countExactly(candidates) | in.countExactly())) {
          tokens = sum(batch); // bounds were not enough: the exact counts may fit
          candidateTokens = sum(candidates);
        }
        if (!Batch.fits(size, tokens + candidateTokens, in, maxInputs, maxTokens)) {
          carry = in;
          full = true;
          break;
        }
        candidates.add(in);
        candidateTokens += in.tokens;
        if (size + 1 == maxInputs) {
          full = true;
          break;
        }
      }
      if (cache == null || stop != null) {
        batch.addAll(candidates);
        tokens += candidateTokens;
        break;
      }
      float[][] found = cache.get(candidates);
      for (int i = 0; i < found.length; i++) {
        Input in = candidates.get(i);
        if (found[i] == null) {
          batch.add(in);
          tokens += in.tokens;
        } else {
          in.vector = found[i];
          in.cached = true;
          done.add(in);
          if (dedupe != null) {
            done.addAll(dedupe.done(in));
          }
        }
      }
      if (full || exhausted || noRoom || carry != null || done.size() >= maxInputs) {
        break;
      }
      if (candidates.isEmpty()) {
        break;
      }
    }
    if (done.isEmpty() && batch.isEmpty()) {
      return carry != null ? next() : null;
    }
    return new Step(done, batch.isEmpty() ? null : Batch.of(batchId(), batch));
  }

  private static boolean countExactly(List<Input> inputs) {
    boolean changed = false;
    for (Input in : inputs) {
      changed |= in.countExactly();
    }
    return changed;
  }

  private static long sum(List<Input> inputs) {
    long sum = 0;
    for (Input in : inputs) {
      sum += in.tokens;
    }
    return sum;
  }

  /** The next input, keyed; null at the end, when stopped, or with no room while holding some. */
  private Input read(boolean holding) throws InterruptedException {
    if (exhausted) {
      return null;
    }
    if (window != null) {
      if (holding) {
        if (!window.tryAcquire()) {
          noRoom = true;
          return null;
        }
      } else {
        while (!window.tryAcquire(50, TimeUnit.MILLISECONDS)) {
          if (control.stopped() != null) {
            return null;
          }
        }
      }
    }
    Input in;
    try {
      in = source.next();
    } catch (RuntimeException | Error e) {
      exhausted = true;
      throw e;
    }
    if (in == null) {
      exhausted = true;
      if (window != null) {
        window.release();
      }
      return null;
    }
    read++;
    if (keys != null && in.error == null) {
      in.key = keys.key(in.sendText);
    }
    return in;
  }
}
