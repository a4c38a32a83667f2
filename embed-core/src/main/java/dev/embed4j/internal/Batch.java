package dev.embed4j.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * One request's worth of inputs, in input order: the {@link Planner} closes a batch when one more
 * text would exceed the count limit or the per-request token cap, so a text larger than the cap
 * travels alone (the per-input limit is checked before planning).
 *
 * @param tokens the inputs' tokens for the cap (exact, or bounds)
 * @param exactTokens the part of {@code tokens} that was counted exactly
 */
record Batch(int id, Input[] inputs, long tokens, long exactTokens) {

  /** Whether {@code next} still fits in a batch of {@code size} inputs and {@code tokens}. */
  static boolean fits(int size, long tokens, Input next, int maxInputs, long maxTokens) {
    return size == 0 || (size < maxInputs && tokens + next.tokens <= maxTokens);
  }

  /** How many batches {@code inputs} make, in order, for a plan or a dry run. */
  static int count(Input[] inputs, int maxInputs, long maxTokens) {
    int batches = 0;
    int size = 0;
    long tokens = 0;
    for (Input in : inputs) {
      if (!fits(size, tokens, in, maxInputs, maxTokens)) {
        batches++;
        size = 0;
        tokens = 0;
      }
      size++;
      tokens += in.tokens;
    }
    return size > 0 ? batches + 1 : batches;
  }

  static Batch of(int id, List<Input> inputs) {
    long tokens = 0;
    long exact = 0;
    for (Input in : inputs) {
      tokens += in.tokens;
      exact += in.exact ? in.tokens : 0;
    }
    return new Batch(id, inputs.toArray(new Input[0]), tokens, exact);
  }

  /** The UTF-8 bytes of the inputs whose tokens were only bounded. */
  long boundedBytes() {
    return tokens - exactTokens;
  }

  /** The exact token count of every input, counting those that were only bounded. */
  long countExactly() {
    long sum = 0;
    for (Input in : inputs) {
      in.countExactly();
      sum += in.tokens;
    }
    return sum;
  }

  int size() {
    return inputs.length;
  }

  List<Integer> indexList() {
    List<Integer> list = new ArrayList<>(inputs.length);
    for (Input in : inputs) {
      list.add(in.position);
    }
    return List.copyOf(list);
  }

  /** Compact form of the ascending positions: {@code 0-63} or {@code 3,7,9}. */
  String describeIndices() {
    if (inputs.length == 0) {
      return "none";
    }
    int first = inputs[0].position;
    int last = inputs[inputs.length - 1].position;
    if (last - first + 1 == inputs.length) {
      return first == last ? String.valueOf(first) : first + "-" + last;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < inputs.length && i < 20; i++) {
      sb.append(i == 0 ? "" : ",").append(inputs[i].position);
    }
    return inputs.length > 20 ? sb.append(",...").toString() : sb.toString();
  }
}
