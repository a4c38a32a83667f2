package dev.embed4j.internal;

import java.util.List;

/**
 * Where a run's vectors go, placed by input index: the seam between the dispatch, which receives a
 * batch's vectors in the order of its texts, and what the caller gets. {@link InMemory} keeps one
 * array slot per input for {@code embed(List)}.
 */
interface ResultSink {

  /** Places {@code vectors}, the i-th of which belongs to input {@code batch.indices()[i]}. */
  void accept(Batch batch, List<float[]> vectors);

  /** Every vector of the run in an array by input index; null where not embedded. */
  final class InMemory implements ResultSink {
    private final float[][] vectors;

    InMemory(int inputs) {
      this.vectors = new float[inputs][];
    }

    /** Keeps the vectors a previous run already embedded. */
    void keep(int index, float[] vector) {
      vectors[index] = vector;
    }

    @Override
    public void accept(Batch batch, List<float[]> got) {
      int[] indices = batch.indices();
      for (int i = 0; i < indices.length; i++) {
        vectors[indices[i]] = got.get(i);
      }
    }

    float[][] vectors() {
      return vectors;
    }
  }
}
