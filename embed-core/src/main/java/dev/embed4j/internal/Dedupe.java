package dev.embed4j.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Identical texts of a run sent once: the first input of a text leads, later ones follow it and get
 * its vector (or its error) when its batch ends. Keyed by the text as sent, since the model,
 * dimensions, input type and truncation are those of the run. A stream forgets a text once its
 * leader is done, so the map holds only inputs in flight; a list run remembers every vector it got
 * (it holds them anyway), so a text is sent once per run.
 */
final class Dedupe {
  private final boolean remember;
  private final Map<String, Object> byText = new HashMap<>(); // a leading Input, or a float[]
  private final Map<Input, List<Input>> followers = new HashMap<>();

  Dedupe(boolean remember) {
    this.remember = remember;
  }

  /**
   * Registers {@code in}: false if it leads (send it); true if it follows an input in flight (it is
   * done when that one is) or got a remembered vector (it is done now).
   */
  synchronized boolean follows(Input in) {
    Object known = byText.putIfAbsent(in.sendText, in);
    if (known == null) {
      return false;
    }
    in.duplicate = true;
    if (known instanceof float[]) {
      in.vector = (float[]) known;
      return true;
    }
    followers.computeIfAbsent((Input) known, k -> new ArrayList<>(2)).add(in);
    return true;
  }

  /** {@code leader} is done: its followers, each given its vector or error. */
  synchronized List<Input> done(Input leader) {
    if (remember && leader.vector != null) {
      byText.put(leader.sendText, leader.vector);
    } else {
      byText.remove(leader.sendText, leader);
    }
    List<Input> list = followers.remove(leader);
    if (list == null) {
      return List.of();
    }
    for (Input f : list) {
      f.vector = leader.vector;
      f.error = leader.error;
      f.cached = leader.cached;
    }
    return list;
  }
}
