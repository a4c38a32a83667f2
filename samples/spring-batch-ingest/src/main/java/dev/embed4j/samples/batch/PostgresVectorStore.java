package dev.embed4j.samples.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.BatchingStrategy;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.TokenCountBatchingStrategy;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A Spring AI vector store in one table of plain PostgreSQL ({@code real[]} vectors, no pgvector:
 * the embedded PostgreSQL binaries have no extensions). Writes go through the {@link JdbcTemplate}
 * of the job's {@code DataSource}, so a chunk's vectors commit in the chunk's transaction, with the
 * reader's position: a killed worker leaves no half-written chunk, and its restart writes the rest.
 * Rows are upserted by id, so a chunk written twice is still one row per document.
 *
 * <p>Search is exact and brute force (cosine over every row, in Java): right for a sample and for
 * checking every vector, not for millions of rows (use pgvector's {@code PgVectorStore} there).
 * Filter expressions are not evaluated: a search or delete with one fails and says so.
 */
final class PostgresVectorStore implements VectorStore {
  static final String TABLE = "embed4j_vectors";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JdbcTemplate jdbc;
  private final EmbeddingModel model;
  private final BatchingStrategy batching = new TokenCountBatchingStrategy();

  PostgresVectorStore(JdbcTemplate jdbc, EmbeddingModel model) {
    this.jdbc = jdbc;
    this.model = model;
  }

  static void createTable(JdbcTemplate jdbc) {
    jdbc.execute(
        "CREATE TABLE IF NOT EXISTS "
            + TABLE
            + " (id text PRIMARY KEY, content text NOT NULL, metadata text NOT NULL,"
            + " embedding real[] NOT NULL)");
  }

  @Override
  public void add(List<Document> documents) {
    List<float[]> vectors = model.embed(documents, EmbeddingOptions.builder().build(), batching);
    jdbc.batchUpdate(
        "INSERT INTO "
            + TABLE
            + " (id, content, metadata, embedding) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE"
            + " SET content = excluded.content, metadata = excluded.metadata,"
            + " embedding = excluded.embedding",
        new BatchPreparedStatementSetter() {
          @Override
          public void setValues(PreparedStatement ps, int i) throws SQLException {
            Document d = documents.get(i);
            float[] v = vectors.get(i);
            Float[] boxed = new Float[v.length];
            for (int j = 0; j < v.length; j++) {
              boxed[j] = v[j];
            }
            ps.setString(1, d.getId());
            ps.setString(2, d.getText());
            ps.setString(3, json(d.getMetadata()));
            ps.setArray(4, ps.getConnection().createArrayOf("float4", boxed));
          }

          @Override
          public int getBatchSize() {
            return documents.size();
          }
        });
  }

  @Override
  public void delete(List<String> ids) {
    jdbc.update(
        con -> {
          PreparedStatement ps =
              con.prepareStatement("DELETE FROM " + TABLE + " WHERE id = ANY(?)");
          ps.setArray(1, con.createArrayOf("text", ids.toArray()));
          return ps;
        });
  }

  @Override
  public void delete(Filter.Expression filterExpression) {
    throw new UnsupportedOperationException(
        "This sample's PostgresVectorStore does not evaluate filter expressions: delete by id");
  }

  @Override
  public List<Document> similaritySearch(SearchRequest request) {
    if (request.hasFilterExpression()) {
      throw new UnsupportedOperationException(
          "This sample's PostgresVectorStore does not evaluate filter expressions: search"
              + " without one");
    }
    float[] query = model.embed(request.getQuery());
    PriorityQueue<Document> best =
        new PriorityQueue<>(Comparator.comparingDouble(Document::getScore));
    jdbc.query(
        "SELECT id, content, metadata, embedding FROM " + TABLE,
        rs -> {
          double score = cosine(query, vector(rs.getArray(4)));
          if (score >= request.getSimilarityThreshold()) {
            best.add(
                Document.builder()
                    .id(rs.getString(1))
                    .text(rs.getString(2))
                    .metadata(metadata(rs.getString(3)))
                    .score(score)
                    .build());
            if (best.size() > request.getTopK()) {
              best.poll();
            }
          }
        });
    List<Document> hits = new ArrayList<>(best);
    hits.sort(Comparator.comparingDouble(Document::getScore).reversed());
    return hits;
  }

  /** The stored vector of {@code id}, or null. */
  float[] vector(String id) {
    List<float[]> found =
        jdbc.query(
            "SELECT embedding FROM " + TABLE + " WHERE id = ?",
            (rs, n) -> vector(rs.getArray(1)),
            id);
    return found.isEmpty() ? null : found.get(0);
  }

  static float[] vector(Array array) throws SQLException {
    Object[] values = (Object[]) array.getArray();
    float[] v = new float[values.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = ((Number) values[i]).floatValue();
    }
    return v;
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0, na = 0, nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }

  private static String json(Map<String, Object> metadata) throws SQLException {
    try {
      return JSON.writeValueAsString(metadata);
    } catch (JsonProcessingException e) {
      throw new SQLException("Metadata is not JSON-serializable: " + e.getMessage(), e);
    }
  }

  private static Map<String, Object> metadata(String json) throws SQLException {
    try {
      return JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new SQLException("Stored metadata is not JSON: " + e.getMessage(), e);
    }
  }
}
