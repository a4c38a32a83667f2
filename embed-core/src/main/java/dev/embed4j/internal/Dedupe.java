package dev.embed4j.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Identical texts of a run sent once: the first input of a text leads, later ones follow it and get
 * its vector (or its error) when its batch ends. Keyed by the text as sent, since the model,
 * dimensions, input type and truncation are those of the run. A stream forgets a text once its
 * leader is done, so the map holds only inputs in flight; a list run keeps every leader that got
 * its vector (it holds them anyway), so a text is sent once per run.
 */
final class Dedupe {
  private final boolean remember;
  private final Map<String, Input> byText; // each text's leader
  private final Map<Input, List<Input>> followers = new HashMap<>();

  Dedupe(boolean remember) {
    this(remember, 16);
  }

  /** As {@link #Dedupe(boolean)}, for about {@code texts} distinct texts. */
  Dedupe(boolean remember, int texts) {
    this.remember = remember;
    this.byText = new HashMap<>((int) Math.min(1 << 30, texts / 0.75 + 1));
  }

  /**
   * Registers {@code in}: false if it leads (send it); true if it follows an input in flight (it is
   * done when that one is) or got a remembered vector (it is done now).
   */
  synchronized boolean follows(Input in) {
    Input known = byText.putIfAbsent(in.sendText, in);
    if (known == null) {
      return false;
    }
    in.duplicate = true;
    if (known.remembered) {
      in.vector = known.vector;
      return true;
    }
    followers.computeIfAbsent(known, k -> new ArrayList<>(2)).add(in);
    return true;
  }

  /** {@code leader} is done: its followers, each given its vector or error. */
  synchronized List<Input> done(Input leader) {
    if (remember && leader.vector != null) {
      leader.remembered = true; // it stays its text's leader, and later copies take its vector
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
