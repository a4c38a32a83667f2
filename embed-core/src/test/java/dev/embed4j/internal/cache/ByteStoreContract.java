package dev.embed4j.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a store of bytes (disk, Redis) also promises: a damaged entry is a miss, then replaced. */
abstract class ByteStoreContract extends StoreContract {

  /** Stores raw bytes under a key, as a damaged or foreign entry would hold them. */
  abstract void putRaw(String key, byte[] value) throws Exception;

  @Test
  void garbage_truncatedOrForeignEntries_areMisses_andOverwritten() throws Exception {
    byte[] good = VectorCodec.encode(vectorOf("cut"), 0);
    putRaw("garbage", "not a vector at all".getBytes());
    putRaw("cut", Arrays.copyOf(good, good.length - 5));
    byte[] flipped = VectorCodec.encode(vectorOf("flipped"), 0);
    flipped[flipped.length / 2] ^= 0x40;
    putRaw("flipped", flipped);
    putRaw("empty", new byte[0]);
    List<String> keys = List.of("garbage", "cut", "flipped", "empty");
    assertThat((Object[]) cache.get(keys)).containsOnlyNulls();

    List<float[]> fresh = keys.stream().map(StoreContract::vectorOf).toList();
    cache.put(keys, fresh);
    float[][] got = cache.get(keys);
    for (int i = 0; i < keys.size(); i++) {
      assertThat(got[i]).containsExactly(fresh.get(i));
    }
  }
}
