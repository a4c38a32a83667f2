package dev.embed4j.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embed4j.spi.EmbeddingCache;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskCacheTest extends ByteStoreContract {
  @TempDir Path dir;

  @Override
  EmbeddingCache open() {
    return EmbeddingCache.onDisk(dir);
  }

  @Override
  void putRaw(String key, byte[] value) {
    ((DiskCache) cache).putRaw(key, value);
  }

  @Test
  void closedAndOpenedAgain_everyVectorIsThere() {
    List<String> keys = List.of(key(1), key(2), key(3));
    cache.put(keys, keys.stream().map(StoreContract::vectorOf).toList());
    cache.close();
    try (EmbeddingCache reopened = EmbeddingCache.onDisk(dir)) {
      float[][] got = reopened.get(List.of(key(3), key(4), key(1), key(2)));
      assertThat(got[0]).containsExactly(vectorOf(key(3)));
      assertThat(got[1]).isNull();
      assertThat(got[2]).containsExactly(vectorOf(key(1)));
      assertThat(got[3]).containsExactly(vectorOf(key(2)));
    }
    assertThat(dir.resolve(DiskCache.FILE)).isRegularFile();
  }

  @Test
  void twoCachesOnOneDirectory_shareTheFile_untilTheLastIsClosed() {
    try (EmbeddingCache second =
        EmbeddingCache.onDisk(dir.resolve(".").resolve("../" + dir.getFileName()))) {
      cache.put(List.of("a"), List.of(new float[] {1f}));
      assertThat(second.get(List.of("a"))[0]).containsExactly(1f);
      cache.close();
      cache.close(); // twice is harmless and does not release the other's use
      second.put(List.of("b"), List.of(new float[] {2f}));
      assertThat((Object[]) second.get(List.of("a", "b"))).doesNotContainNull();
    }
    cache = EmbeddingCache.onDisk(dir);
    assertThat((Object[]) cache.get(List.of("a", "b"))).doesNotContainNull();
  }

  @Test
  void garbageWrittenIntoTheFile_isAMiss_andTheEntryIsOverwritten() throws Exception {
    float[] marked = new float[DIMENSIONS];
    Arrays.fill(marked, Float.intBitsToFloat(0x3F9E0DD5)); // bytes D5 0D 9E 3F, over and over
    cache.put(List.of("marked", "other"), List.of(marked, vectorOf("other")));
    cache.close();

    Path file = dir.resolve(DiskCache.FILE);
    byte[] bytes = Files.readAllBytes(file);
    int damaged = 0;
    for (int at = indexOfRun(bytes, 0); at >= 0; at = indexOfRun(bytes, at + 4096)) {
      for (int i = 0; i < 64; i++) {
        bytes[at + 100 + i] = (byte) (i * 37 + 11);
      }
      damaged++;
    }
    assertThat(damaged).as("copies of the vector found in the file").isPositive();
    Files.write(file, bytes);

    cache = EmbeddingCache.onDisk(dir);
    float[][] got = cache.get(List.of("marked", "other"));
    assertThat(got[0]).isNull();
    assertThat(got[1]).containsExactly(vectorOf("other"));
    cache.put(List.of("marked"), List.of(marked));
    assertThat(cache.get(List.of("marked"))[0]).containsExactly(marked);
  }

  /** Where 64 bytes of the marked vector start, from {@code from} on, or -1. */
  private static int indexOfRun(byte[] bytes, int from) {
    byte[] unit = {(byte) 0xD5, 0x0D, (byte) 0x9E, 0x3F};
    outer:
    for (int at = from; at + 64 <= bytes.length - 200; at++) {
      for (int i = 0; i < 64; i++) {
        if (bytes[at + i] != unit[i % 4]) {
          continue outer;
        }
      }
      return at;
    }
    return -1;
  }

  @Test
  void aFileThatIsNoStore_isMovedAside_andANewOneStarted() throws Exception {
    cache.put(List.of("a"), List.of(new float[] {1f}));
    cache.close();
    byte[] garbage = new byte[64 * 1024];
    new Random(3).nextBytes(garbage);
    Files.write(dir.resolve(DiskCache.FILE), garbage);

    cache = EmbeddingCache.onDisk(dir);
    assertThat(cache.get(List.of("a"))[0]).isNull();
    cache.put(List.of("a"), List.of(new float[] {2f}));
    assertThat(cache.get(List.of("a"))[0]).containsExactly(2f);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.startsWith(DiskCache.FILE + ".corrupt-"));
    }
  }

  @Test
  void entriesOlderThanTheTimeToLive_areMisses() {
    AtomicLong now = new AtomicLong(1_000_000);
    try (DiskCache aging = new DiskCache(dir.resolve("aging"), Duration.ofHours(1), now::get)) {
      aging.put(List.of("old"), List.of(new float[] {1f}));
      now.addAndGet(Duration.ofMinutes(59).toMillis());
      aging.put(List.of("new"), List.of(new float[] {2f}));
      assertThat((Object[]) aging.get(List.of("old", "new"))).doesNotContainNull();
      now.addAndGet(Duration.ofMinutes(2).toMillis());
      float[][] got = aging.get(List.of("old", "new"));
      assertThat(got[0]).isNull();
      assertThat(got[1]).containsExactly(2f);
    }
  }

  @Test
  void aDirectoryAnotherProcessHolds_failsClearly() throws Exception {
    Path held = dir.resolve("held");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                HoldDiskCache.class.getName(),
                held.toString())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("open");
      assertThatThrownBy(() -> EmbeddingCache.onDisk(held))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("The disk cache " + held.toRealPath().resolve(DiskCache.FILE))
          .hasMessageContaining("is in use by another process");
      assertThat(held.toFile().list()).containsExactly(DiskCache.FILE); // nothing moved aside
    } finally {
      child.getOutputStream().close(); // the child closes its cache and exits
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    try (EmbeddingCache afterwards = EmbeddingCache.onDisk(held)) {
      assertThat(afterwards.get(List.of("from-child"))[0]).containsExactly(7f);
    }
  }

  /** Opens a disk cache, says so, and holds it until its standard input closes. */
  static final class HoldDiskCache {
    public static void main(String[] args) throws Exception {
      try (EmbeddingCache cache = EmbeddingCache.onDisk(Path.of(args[0]))) {
        cache.put(List.of("from-child"), List.of(new float[] {7f}));
        System.out.println("open");
        System.out.flush();
        while (System.in.read() >= 0) {
          // wait
        }
      }
    }
  }

  @Test
  void describeNamesTheFile() throws Exception {
    assertThat(cache.describe())
        .isEqualTo("disk cache " + dir.toRealPath().resolve(DiskCache.FILE));
  }
}
