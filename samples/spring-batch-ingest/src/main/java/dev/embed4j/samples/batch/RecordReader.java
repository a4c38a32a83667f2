package dev.embed4j.samples.batch;

import org.springframework.ai.document.Document;
import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;

/**
 * Reads one partition's range of records. Its position is saved with every chunk's commit, so a
 * restarted partition resumes after its last written chunk.
 */
class RecordReader extends AbstractItemCountingItemStreamItemReader<Document> {
  private final Records records;
  private final int start;
  private Records.Cursor cursor;

  RecordReader(Records records, int start, int end) {
    this.records = records;
    this.start = start;
    setName("records");
    setMaxItemCount(end - start);
  }

  @Override
  protected void doOpen() throws Exception {
    cursor = records.from(start);
  }

  @Override
  protected Document doRead() {
    return cursor.hasNext() ? cursor.next() : null;
  }

  @Override
  protected void doClose() throws Exception {
    if (cursor != null) {
      cursor.close();
      cursor = null;
    }
  }
}
