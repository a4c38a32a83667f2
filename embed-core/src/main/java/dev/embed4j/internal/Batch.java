package dev.embed4j.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One request's worth of inputs. {@link #plan} packs inputs greedily in input order: a batch is
 * closed when one more text would exceed the count limit or the token budget, so batches hold
 * neighbouring inputs and a text larger than the budget travels alone (the per-input limit is
 * checked before planning).
 */
record Batch(int id, int[] indices, long tokens) {

  static List<Batch> plan(
      int[] order, int[] tokenCounts, int maxInputs, long maxTokens, int firstId) {
    List<Batch> batches = new ArrayList<>(order.length / Math.max(1, maxInputs) + 1);
    int start = 0;
    long tokens = 0;
    for (int i = 0; i < order.length; i++) {
      int t = tokenCounts[order[i]];
      int size = i - start;
      if (size > 0 && (size == maxInputs || tokens + t > maxTokens)) {
        batches.add(
            new Batch(firstId + batches.size(), Arrays.copyOfRange(order, start, i), tokens));
        start = i;
        tokens = 0;
      }
      tokens += t;
    }
    if (start < order.length) {
      batches.add(
          new Batch(
              firstId + batches.size(), Arrays.copyOfRange(order, start, order.length), tokens));
    }
    return batches;
  }

  List<Integer> indexList() {
    List<Integer> list = new ArrayList<>(indices.length);
    for (int i : indices) {
      list.add(i);
    }
    return List.copyOf(list);
  }

  /** Compact form of the ascending indices: {@code 0-63} or {@code 3,7,9}. */
  String describeIndices() {
    if (indices.length == 0) {
      return "none";
    }
    int first = indices[0];
    int last = indices[indices.length - 1];
    if (last - first + 1 == indices.length) {
      return first == last ? String.valueOf(first) : first + "-" + last;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < indices.length && i < 20; i++) {
      sb.append(i == 0 ? "" : ",").append(indices[i]);
    }
    return indices.length > 20 ? sb.append(",...").toString() : sb.toString();
  }
}
