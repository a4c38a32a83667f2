package dev.embed4j.emulator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One {@code /v1/batches} job and its lifecycle on the emulated clock: {@code validating} for the
 * validation time, then {@code failed} or {@code in_progress}, lines answered evenly over the
 * processing time, {@code finalizing}, {@code completed}. A job whose processing would end after
 * its 24-hour window {@code expired} at the window's end with the lines answered by then; a
 * cancelled one is {@code cancelling} for the finalizing time, then {@code cancelled} with the
 * lines answered before the cancel. Guarded by its {@link BatchEndpoint}'s lock.
 */
final class BatchJob {

  /** One input line and, once validated, its answer. */
  static final class Line {
    final String customId;
    final byte[] response; // the response object's JSON, or null with error
    final String errorJson; // a line-level error object's JSON, or null
    final boolean success;
    final String model;
    final long tokens;
    final int inputs;

    Line(
        String customId,
        byte[] response,
        String errorJson,
        boolean success,
        String model,
        long tokens,
        int inputs) {
      this.customId = customId;
      this.response = response;
      this.errorJson = errorJson;
      this.success = success;
      this.model = model;
      this.tokens = tokens;
      this.inputs = inputs;
    }
  }

  static final long WINDOW_NANOS = 24L * 3600 * 1_000_000_000L;

  final String id;
  final String inputFileId;
  final String endpoint;
  final String key;
  final String metadataJson;
  final long createdAt;
  final long expiresAt;
  String status = "validating";
  String model;
  long inProgressAt = -1;
  long finalizingAt = -1;
  long completedAt = -1;
  long failedAt = -1;
  long expiredAt = -1;
  long cancellingAt = -1;
  long cancelledAt = -1;
  List<Line> lines = List.of();
  long tokens;
  String errorsJson; // the validation errors' data array, once failed
  String outputFileId;
  String errorFileId;
  long billedTokens;

  BatchJob(
      String id,
      String inputFileId,
      String endpoint,
      String key,
      String metadataJson,
      long createdAt) {
    this.id = id;
    this.inputFileId = inputFileId;
    this.endpoint = endpoint;
    this.key = key;
    this.metadataJson = metadataJson;
    this.createdAt = createdAt;
    this.expiresAt = createdAt + WINDOW_NANOS;
  }

  boolean enqueued() {
    return status.equals("in_progress") || status.equals("finalizing");
  }

  boolean terminal() {
    return switch (status) {
      case "completed", "failed", "expired", "cancelled" -> true;
      default -> false;
    };
  }

  /** Lines answered by emulated time {@code t}. */
  int processed(long t, long processingNanos) {
    if (inProgressAt < 0 || t <= inProgressAt) {
      return 0;
    }
    if (processingNanos <= 0 || t >= inProgressAt + processingNanos) {
      return lines.size();
    }
    return (int) (lines.size() * (double) (t - inProgressAt) / processingNanos);
  }

  int[] counts(long now, long processingNanos) {
    int n =
        terminal() || status.equals("finalizing")
            ? answered
            : processed(status.equals("cancelling") ? cancellingAt : now, processingNanos);
    int ok = 0;
    for (int i = 0; i < n; i++) {
      if (lines.get(i).success) {
        ok++;
      }
    }
    int failed = n - ok;
    if (status.equals("expired")) {
      failed = lines.size() - ok;
    }
    return new int[] {lines.size(), ok, failed};
  }

  int answered;

  /**
   * Ends the job with the first {@code n} lines answered: the output file of the successes and the
   * error file of the failures (and, for an expired job, of the lines it never reached).
   */
  void finish(String finalStatus, int n, boolean shuffle, BatchEndpoint.Files files, long at) {
    answered = n;
    status = finalStatus;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int[] order = Endpoint.order(n, shuffle);
    for (int p = 0; p < n; p++) {
      Line l = lines.get(order[p]);
      write(l.success ? out : err, l.customId, l.response, l.errorJson);
      if (l.success) {
        billedTokens += l.tokens;
      }
    }
    if (finalStatus.equals("expired")) {
      for (int i = n; i < lines.size(); i++) {
        write(
            err,
            lines.get(i).customId,
            null,
            "{\"code\":\"batch_expired\",\"message\":\"This request could not be executed before"
                + " the completion window expired.\"}");
      }
    }
    if (out.size() > 0) {
      outputFileId = files.add(id + "_output.jsonl", "batch_output", out.toByteArray(), at);
    }
    if (err.size() > 0) {
      errorFileId = files.add(id + "_error.jsonl", "batch_output", err.toByteArray(), at);
    }
  }

  private static void write(
      ByteArrayOutputStream to, String customId, byte[] response, String errorJson) {
    StringBuilder head =
        new StringBuilder("{\"id\":\"batch_req_")
            .append(Long.toHexString(ThreadLocalRandom.current().nextLong()))
            .append("\",\"custom_id\":");
    head.append(
        new String(
            Json.bytes(Json.MAPPER.getNodeFactory().textNode(customId)), StandardCharsets.UTF_8));
    head.append(",\"response\":");
    to.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
    to.writeBytes(response == null ? "null".getBytes(StandardCharsets.UTF_8) : response);
    to.writeBytes(
        (",\"error\":" + (errorJson == null ? "null" : errorJson) + "}\n")
            .getBytes(StandardCharsets.UTF_8));
  }
}
