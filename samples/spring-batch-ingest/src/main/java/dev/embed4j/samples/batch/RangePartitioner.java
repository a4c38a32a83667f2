package dev.embed4j.samples.batch;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/** Splits the records into {@code gridSize} contiguous ranges, one partition each. */
final class RangePartitioner implements Partitioner {
  private final Records records;

  RangePartitioner(Records records) {
    this.records = records;
  }

  @Override
  public Map<String, ExecutionContext> partition(int gridSize) {
    int size = records.size();
    int parts = Math.max(1, Math.min(gridSize, size));
    Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
    for (int p = 0; p < parts; p++) {
      ExecutionContext context = new ExecutionContext();
      context.putInt("start", (int) ((long) size * p / parts));
      context.putInt("end", (int) ((long) size * (p + 1) / parts));
      partitions.put("partition" + p, context);
    }
    return partitions;
  }
}
