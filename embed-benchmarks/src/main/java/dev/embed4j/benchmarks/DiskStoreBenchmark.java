package dev.embed4j.benchmarks;

import dev.embed4j.spi.EmbeddingCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The embedded disk stores the disk cache was chosen from, on the cache's own work: put batches of
 * 1536-float vectors (6,164-byte values under 64-character keys), each batch durable against a
 * killed process when the call returns (written to the OS, not fsynced: what all three do by
 * default), then get them back in shuffled batches. Each candidate gets the same bytes, in a fresh
 * directory, in turn, for several rounds; the last line is {@code EmbeddingCache.onDisk} itself
 * (MVStore plus the value format with its checksum).
 *
 * <pre>{@code
 * java -cp embed-benchmarks/target/benchmarks.jar dev.embed4j.benchmarks.DiskStoreBenchmark \
 *     --vectors 20000 --rounds 3
 * }</pre>
 */
public final class DiskStoreBenchmark {
  private static final int DIMENSIONS = 1536;

  interface Store extends AutoCloseable {
    void put(List<String> keys, List<byte[]> values) throws Exception;

    byte[][] get(List<String> keys) throws Exception;

    @Override
    void close() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int vectors = 20_000;
    int rounds = 3;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--vectors" -> vectors = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown flag " + args[i]);
      }
    }
    List<String> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    List<float[]> floats = new ArrayList<>();
    Random r = new Random(42);
    for (int i = 0; i < vectors; i++) {
      keys.add(String.format(Locale.ROOT, "%064x", new java.math.BigInteger(256, r)));
      float[] v = new float[DIMENSIONS];
      for (int d = 0; d < DIMENSIONS; d++) {
        v[d] = (float) r.nextGaussian() * 0.03f;
      }
      floats.add(v);
      ByteBuffer b = ByteBuffer.allocate(20 + 4 * DIMENSIONS).order(ByteOrder.LITTLE_ENDIAN);
      b.position(20);
      b.asFloatBuffer().put(v);
      values.add(b.array());
    }
    System.out.printf(
        Locale.ROOT,
        "%d vectors of %d floats, %d rounds, java %s%n",
        vectors,
        DIMENSIONS,
        rounds,
        System.getProperty("java.version"));
    System.out.println("| store | batch | put vectors/s | get vectors/s | file MB |");
    System.out.println("|---|---:|---:|---:|---:|");
    for (int batch : new int[] {64, 256}) {
      for (int round = 0; round < rounds; round++) {
        for (String name : List.of("mvstore", "sqlite", "rocksdb", "EmbeddingCache.onDisk")) {
          Path dir = Files.createTempDirectory("store-bench");
          try {
            run(name, dir, batch, keys, values, floats);
          } finally {
            delete(dir);
          }
        }
      }
    }
  }

  private static void run(
      String name,
      Path dir,
      int batch,
      List<String> keys,
      List<byte[]> values,
      List<float[]> floats)
      throws Exception {
    List<String> shuffled = new ArrayList<>(keys);
    Collections.shuffle(shuffled, new Random(7));
    long putNanos;
    long getNanos;
    long found = 0;
    if (name.equals("EmbeddingCache.onDisk")) {
      try (EmbeddingCache cache = EmbeddingCache.onDisk(dir)) {
        long t0 = System.nanoTime();
        for (int from = 0; from < keys.size(); from += batch) {
          int to = Math.min(keys.size(), from + batch);
          cache.put(keys.subList(from, to), floats.subList(from, to));
        }
        putNanos = System.nanoTime() - t0;
        t0 = System.nanoTime();
        for (int from = 0; from < shuffled.size(); from += batch) {
          for (float[] v :
              cache.get(shuffled.subList(from, Math.min(shuffled.size(), from + batch)))) {
            found += v == null ? 0 : v.length / DIMENSIONS;
          }
        }
        getNanos = System.nanoTime() - t0;
      }
    } else {
      try (Store store = open(name, dir)) {
        long t0 = System.nanoTime();
        for (int from = 0; from < keys.size(); from += batch) {
          int to = Math.min(keys.size(), from + batch);
          store.put(keys.subList(from, to), values.subList(from, to));
        }
        putNanos = System.nanoTime() - t0;
        t0 = System.nanoTime();
        for (int from = 0; from < shuffled.size(); from += batch) {
          for (byte[] v :
              store.get(shuffled.subList(from, Math.min(shuffled.size(), from + batch)))) {
            found += v == null ? 0 : v.length / (20 + 4 * DIMENSIONS);
          }
        }
        getNanos = System.nanoTime() - t0;
      }
    }
    if (found != keys.size()) {
      throw new IllegalStateException(name + " returned " + found + " of " + keys.size());
    }
    System.out.printf(
        Locale.ROOT,
        "| %s | %d | %,.0f | %,.0f | %.0f |%n",
        name,
        batch,
        keys.size() * 1e9 / putNanos,
        keys.size() * 1e9 / getNanos,
        size(dir) / 1e6);
  }

  private static Store open(String name, Path dir) throws Exception {
    return switch (name) {
      case "mvstore" -> new MvStore(dir);
      case "sqlite" -> new Sqlite(dir);
      case "rocksdb" -> new Rocks(dir);
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** H2 MVStore: one map, a commit per batch. */
  static final class MvStore implements Store {
    final MVStore mv;
    final MVMap<String, byte[]> map;

    MvStore(Path dir) {
      mv = new MVStore.Builder().fileName(dir.resolve("v.mv.db").toString()).open();
      map =
          mv.openMap(
              "vectors",
              new MVMap.Builder<String, byte[]>()
                  .keyType(StringDataType.INSTANCE)
                  .valueType(ByteArrayDataType.INSTANCE));
    }

    @Override
    public void put(List<String> keys, List<byte[]> values) {
      for (int i = 0; i < keys.size(); i++) {
        map.put(keys.get(i), values.get(i));
      }
      mv.commit();
    }

    @Override
    public byte[][] get(List<String> keys) {
      byte[][] out = new byte[keys.size()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = map.get(keys.get(i));
      }
      return out;
    }

    @Override
    public void close() {
      mv.close();
    }
  }

  /**
   * SQLite through xerial's driver: WAL, synchronous NORMAL, a transaction per batch, IN (...)
   * reads.
   */
  static final class Sqlite implements Store {
    final Connection c;

    Sqlite(Path dir) throws SQLException {
      c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("v.db"));
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=NORMAL");
        s.execute(
            "CREATE TABLE IF NOT EXISTS v (k TEXT PRIMARY KEY, b BLOB NOT NULL) WITHOUT ROWID");
      }
      c.setAutoCommit(false);
    }

    @Override
    public void put(List<String> keys, List<byte[]> values) throws SQLException {
      try (PreparedStatement p =
          c.prepareStatement("INSERT OR REPLACE INTO v (k, b) VALUES (?, ?)")) {
        for (int i = 0; i < keys.size(); i++) {
          p.setString(1, keys.get(i));
          p.setBytes(2, values.get(i));
          p.addBatch();
        }
        p.executeBatch();
      }
      c.commit();
    }

    @Override
    public byte[][] get(List<String> keys) throws SQLException {
      String marks = String.join(",", Collections.nCopies(keys.size(), "?"));
      java.util.Map<String, byte[]> found = new java.util.HashMap<>();
      try (PreparedStatement p =
          c.prepareStatement("SELECT k, b FROM v WHERE k IN (" + marks + ")")) {
        for (int i = 0; i < keys.size(); i++) {
          p.setString(i + 1, keys.get(i));
        }
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            found.put(rs.getString(1), rs.getBytes(2));
          }
        }
      }
      c.commit();
      byte[][] out = new byte[keys.size()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = found.get(keys.get(i));
      }
      return out;
    }

    @Override
    public void close() throws SQLException {
      c.close();
    }
  }

  /** RocksDB: a WriteBatch per batch (WAL on, not synced), multiGetAsList for reads. */
  static final class Rocks implements Store {
    static {
      RocksDB.loadLibrary();
    }

    final Options options = new Options().setCreateIfMissing(true);
    final WriteOptions write = new WriteOptions();
    final RocksDB db;

    Rocks(Path dir) throws RocksDBException {
      db = RocksDB.open(options, dir.resolve("rocks").toString());
    }

    @Override
    public void put(List<String> keys, List<byte[]> values) throws RocksDBException {
      try (WriteBatch b = new WriteBatch()) {
        for (int i = 0; i < keys.size(); i++) {
          b.put(keys.get(i).getBytes(java.nio.charset.StandardCharsets.US_ASCII), values.get(i));
        }
        db.write(write, b);
      }
    }

    @Override
    public byte[][] get(List<String> keys) throws RocksDBException {
      List<byte[]> k = new ArrayList<>(keys.size());
      for (String key : keys) {
        k.add(key.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      }
      return db.multiGetAsList(k).toArray(new byte[0][]);
    }

    @Override
    public void close() {
      db.close();
      write.close();
      options.close();
    }
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files
          .sorted(Collections.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }

  private DiskStoreBenchmark() {}
}
