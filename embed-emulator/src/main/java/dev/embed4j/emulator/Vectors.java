package dev.embed4j.emulator;

/**
 * The emulator's deterministic "model": a text's vector is pseudo-random but fixed.
 *
 * <p>A 64-bit seed is derived from (model, input type, text) with FNV-1a over their UTF-16 chars
 * (lengths included, so the parts cannot run into each other) and a SplitMix64 finaliser. A
 * SplitMix64 stream from that seed yields two raw components per step, each an {@code int} scaled
 * to [-1, 1). The vector of {@code d} dimensions is the first {@code d} raw components times the
 * inverse of their L2 norm (summed in double). Reduced dimensions are thus the prefix of the native
 * vector, re-normalised, as with OpenAI's Matryoshka models. Random vectors of this length are
 * nearly orthogonal, so distinct texts have cosine near 0.
 */
final class Vectors {

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  private static final long GOLDEN = 0x9e3779b97f4a7c15L;

  private Vectors() {}

  static float[] vector(String model, String inputType, String text, int dims) {
    long state = seed(model, inputType, text);
    float[] v = new float[dims];
    double s0 = 0;
    double s1 = 0; // one sum per lane, so that the additions do not wait on each other
    int i = 0;
    for (; i + 1 < dims; i += 2) {
      state += GOLDEN;
      long z = mix(state);
      float a = (int) (z >>> 32) * 0x1.0p-31f;
      float b = (int) z * 0x1.0p-31f;
      v[i] = a;
      v[i + 1] = b;
      s0 += (double) a * a;
      s1 += (double) b * b;
    }
    if (i < dims) {
      float a = (int) (mix(state + GOLDEN) >>> 32) * 0x1.0p-31f;
      v[i] = a;
      s0 += (double) a * a;
    }
    double sum = s0 + s1;
    float inv = sum == 0 ? 0 : (float) (1 / Math.sqrt(sum));
    for (i = 0; i < dims; i++) {
      v[i] *= inv;
    }
    return v;
  }

  static long seed(String model, String inputType, String text) {
    long h = FNV_OFFSET;
    h = hash(h, model);
    h = inputType == null ? (h ^ 0xffff) * FNV_PRIME : hash(h, inputType);
    h = hash(h, text);
    return mix(h);
  }

  private static long hash(long h, String s) {
    h = (h ^ s.length()) * FNV_PRIME;
    for (int i = 0, n = s.length(); i < n; i++) {
      h = (h ^ s.charAt(i)) * FNV_PRIME;
    }
    return h;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
