package dev.embed4j.internal;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Batch API run must remember to be resumed by another JVM: its key, the inputs each batch
 * carries, and the jobs submitted with the batches each holds. Vectors are not kept: a resumed run
 * downloads the output files again (OpenAI keeps them 30 days). One JSON file per run in the state
 * directory, {@code embed4j-batch-<key>.json}, replaced atomically on every change; without a
 * directory the state lives only in memory.
 */
final class BatchState {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
          .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** The file's content. */
  static final class Data {
    int version = 1;
    String key;
    String model;
    int dimensions;
    int inputs;

    /** Batch id to its input indices, as ranges {@code [first, last]}. */
    Map<Integer, List<int[]>> batches = new LinkedHashMap<>();

    List<Job> jobs = new ArrayList<>();
  }

  /** One submitted job. */
  static final class Job {
    String id;
    String inputFileId;
    List<Integer> batches = new ArrayList<>();
  }

  private final Path directory;
  final Data data;
  final boolean resumed;

  private BatchState(Path directory, Data data, boolean resumed) {
    this.directory = directory;
    this.data = data;
    this.resumed = resumed;
  }

  /** The state of run {@code key}: the one saved in {@code directory}, or a new one. */
  static BatchState open(Path directory, String key, String model, int dimensions, int inputs) {
    if (directory != null) {
      Path file = file(directory, key);
      if (Files.exists(file)) {
        try {
          Data d = MAPPER.readValue(file.toFile(), Data.class);
          if (key.equals(d.key) && model.equals(d.model) && d.inputs == inputs) {
            return new BatchState(directory, d, true);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(
              "Cannot read the Batch API state " + file + ": delete it to submit the run anew", e);
        }
      }
    }
    Data d = new Data();
    d.key = key;
    d.model = model;
    d.dimensions = dimensions;
    d.inputs = inputs;
    return new BatchState(directory, d, false);
  }

  /** The run key: a digest of the model, dimensions, options and every text sent, in order. */
  static String key(Settings s, Input[] inputs, int[] order) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(
          (s.model.id() + "|" + s.dims + "|" + s.type + "|" + s.batch + "|")
              .getBytes(StandardCharsets.UTF_8));
      for (int i : order) {
        byte[] t = inputs[i].sendText.getBytes(StandardCharsets.UTF_8);
        md.update((i + ":" + t.length + ":").getBytes(StandardCharsets.UTF_8));
        md.update(t);
      }
      return HexFormat.of().formatHex(md.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path file(Path directory, String key) {
    return directory.resolve("embed4j-batch-" + key + ".json");
  }

  /** Records the batches as planned. */
  void planned(List<Batch> planned) {
    for (Batch b : planned) {
      int[] positions = new int[b.size()];
      for (int i = 0; i < positions.length; i++) {
        positions[i] = b.inputs()[i].position;
      }
      data.batches.put(b.id(), ranges(positions));
    }
  }

  /** The batches as the saved state says they were planned, of {@code inputs}, counted exactly. */
  List<Batch> saved(Input[] inputs) {
    List<Batch> out = new ArrayList<>();
    for (Map.Entry<Integer, List<int[]>> e : data.batches.entrySet()) {
      List<Input> of = new ArrayList<>();
      for (int i : indices(e.getValue())) {
        if (i < 0 || i >= data.inputs || i >= inputs.length) {
          throw new IllegalStateException(
              "The Batch API state of run "
                  + data.key
                  + " names input "
                  + i
                  + " of "
                  + data.inputs
                  + ": delete it to submit anew");
        }
        inputs[i].countExactly();
        of.add(inputs[i]);
      }
      out.add(Batch.of(e.getKey(), of));
    }
    return out;
  }

  /** For each job, the batches it holds that no later job holds (job order). */
  Map<String, List<Integer>> owners() {
    Map<Integer, String> owner = new LinkedHashMap<>();
    data.jobs.forEach(j -> j.batches.forEach(b -> owner.put(b, j.id)));
    Map<String, List<Integer>> out = new LinkedHashMap<>();
    owner.forEach((b, j) -> out.computeIfAbsent(j, k -> new ArrayList<>()).add(b));
    return out;
  }

  /** For each batch sent, how many jobs it went into. */
  Map<Integer, Integer> sends() {
    Map<Integer, Integer> out = new LinkedHashMap<>();
    data.jobs.forEach(j -> j.batches.forEach(b -> out.merge(b, 1, Integer::sum)));
    return out;
  }

  Job add(String id, String inputFileId, List<Batch> batches) {
    Job j = new Job();
    j.id = id;
    j.inputFileId = inputFileId;
    batches.forEach(b -> j.batches.add(b.id()));
    data.jobs.add(j);
    save();
    return j;
  }

  void save() {
    if (directory == null) {
      return;
    }
    try {
      Files.createDirectories(directory);
      Path file = file(directory, data.key);
      Path tmp = Files.createTempFile(directory, "embed4j-batch-", ".tmp");
      MAPPER.writeValue(tmp.toFile(), data);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write the Batch API state to " + directory + ": check the batchStateDirectory",
          e);
    }
  }

  void delete() {
    if (directory != null) {
      try {
        Files.deleteIfExists(file(directory, data.key));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static List<int[]> ranges(int[] indices) {
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < indices.length; ) {
      int j = i;
      while (j + 1 < indices.length && indices[j + 1] == indices[j] + 1) {
        j++;
      }
      out.add(new int[] {indices[i], indices[j]});
      i = j + 1;
    }
    return out;
  }

  private static int[] indices(List<int[]> ranges) {
    int n = 0;
    for (int[] r : ranges) {
      n += r[1] - r[0] + 1;
    }
    int[] out = new int[n];
    int k = 0;
    for (int[] r : ranges) {
      for (int i = r[0]; i <= r[1]; i++) {
        out[k++] = i;
      }
    }
    return out;
  }
}
