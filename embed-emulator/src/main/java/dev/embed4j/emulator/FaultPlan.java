package dev.embed4j.emulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;

/** Decides, in request order, which valid request gets which fault; holds scripted replies. */
final class FaultPlan {

  private static final int[] SERVER_ERRORS = {500, 502, 503};

  /** A decision: the fault kind (null for none) and, for server errors, the status. */
  record Draw(Faults.Kind kind, int status) {}

  static final Draw NONE = new Draw(null, 0);

  private final Faults faults;
  private final boolean any;
  private final SplittableRandom random;
  private final Deque<Reply> scripted = new ArrayDeque<>();

  FaultPlan(Faults faults) {
    this.faults = faults;
    this.any = faults.any();
    this.random = new SplittableRandom(faults.seed());
  }

  long slowDelayNanos() {
    return faults.slowDelay().toNanos();
  }

  Draw draw() {
    if (!any) {
      return NONE;
    }
    synchronized (random) {
      double u = random.nextDouble();
      double acc = 0;
      for (Faults.Kind k : Faults.Kind.values()) {
        acc += faults.rate(k);
        if (u < acc) {
          int status = k == Faults.Kind.SERVER_ERROR ? SERVER_ERRORS[random.nextInt(3)] : 0;
          return new Draw(k, status);
        }
      }
      return NONE;
    }
  }

  void script(int times, Reply reply) {
    synchronized (scripted) {
      for (int i = 0; i < times; i++) {
        scripted.add(reply);
      }
    }
  }

  /** The next scripted reply, or null. */
  Reply nextScripted() {
    synchronized (scripted) {
      return scripted.poll();
    }
  }
}
