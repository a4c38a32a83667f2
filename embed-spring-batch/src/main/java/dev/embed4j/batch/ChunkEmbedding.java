package dev.embed4j.batch;

import dev.embed4j.Embedder;
import dev.embed4j.EmbeddingRun;
import dev.embed4j.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Embeds one chunk in one {@link Embedder#embed(List)} call (parallel batches inside), and keeps
 * the vectors of a chunk whose write then failed until it is written: when Spring Batch retries the
 * chunk, or scans it item by item to find the one to skip, those items are not paid for again.
 *
 * <p>A chunk refused for an invalid text (nothing was sent) is remembered; when Spring Batch then
 * scans it item by item, the first item's write embeds all the chunk's valid texts in one call, so
 * the scan makes one call (in {@code RunMode.BATCH_API} one job) instead of one per item.
 */
final class ChunkEmbedding {
  /** The most vectors kept for chunks that failed to write (a few chunks' worth). */
  private static final int MAX_PENDING = 50_000;

  private final Embedder embedder;
  private final Map<String, float[]> pending = new ConcurrentHashMap<>();

  /** The texts of chunks refused for an invalid text, by key: Spring Batch may scan them next. */
  private final Map<String, String> refused = new ConcurrentHashMap<>();

  ChunkEmbedding(Embedder embedder) {
    this.embedder = embedder;
  }

  Embedder embedder() {
    return embedder;
  }

  /** The chunk's vectors, in order; {@code figures} gets what the provider billed. */
  List<float[]> embed(List<String> ids, List<String> texts, StepFigures figures) {
    List<String> keys = new ArrayList<>(texts.size());
    List<float[]> vectors = new ArrayList<>(texts.size());
    List<String> missing = new ArrayList<>();
    List<Integer> at = new ArrayList<>();
    boolean scan = false;
    for (int i = 0; i < texts.size(); i++) {
      String key = key(ids.get(i), texts.get(i));
      keys.add(key);
      scan |= refused.containsKey(key) && !pending.containsKey(key);
    }
    if (scan) {
      embedRefused(figures);
    }
    for (int i = 0; i < texts.size(); i++) {
      float[] v = pending.get(keys.get(i));
      vectors.add(v);
      if (v == null) {
        missing.add(texts.get(i));
        at.add(i);
      }
    }
    if (!missing.isEmpty()) {
      EmbeddingRun run;
      try {
        run = embedder.embed(missing);
      } catch (InvalidInputException e) {
        if (refused.size() + missing.size() > MAX_PENDING) {
          refused.clear();
        }
        for (int i : at) {
          refused.put(keys.get(i), texts.get(i));
        }
        throw e;
      }
      figures.add(run, 0); // billed, whether or not every batch succeeded
      List<float[]> fresh = run.vectors(); // IncompleteRunException names the failed batches
      if (pending.size() + fresh.size() > MAX_PENDING) {
        pending.clear();
      }
      for (int j = 0; j < fresh.size(); j++) {
        int i = at.get(j);
        vectors.set(i, fresh.get(j));
        pending.put(keys.get(i), fresh.get(j));
      }
    }
    return vectors;
  }

  /**
   * Embeds the valid texts of the refused chunks in one call and keeps their vectors for the scan;
   * each invalid one is left out (the embedder refuses it before sending anything).
   */
  private void embedRefused(StepFigures figures) {
    List<String> keys = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    refused.forEach(
        (key, text) -> {
          if (!pending.containsKey(key)) {
            keys.add(key);
            texts.add(text);
          }
        });
    while (!texts.isEmpty()) {
      EmbeddingRun run;
      try {
        run = embedder.embed(texts);
      } catch (InvalidInputException e) {
        refused.remove(keys.remove(e.index())); // its own write fails again, to be skipped
        texts.remove(e.index());
        continue;
      }
      figures.add(run, 0);
      List<float[]> fresh = run.vectors();
      for (int j = 0; j < fresh.size(); j++) {
        pending.put(keys.get(j), fresh.get(j));
        refused.remove(keys.get(j));
      }
      return;
    }
  }

  /** The chunk was written: forget its vectors. */
  void written(List<String> ids, List<String> texts) {
    for (int i = 0; i < ids.size(); i++) {
      pending.remove(key(ids.get(i), texts.get(i)));
    }
  }

  private static String key(String id, String text) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(String.valueOf(id).getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
