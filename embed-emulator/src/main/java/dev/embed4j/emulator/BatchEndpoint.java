package dev.embed4j.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * OpenAI's Batch API for embeddings: {@code POST /v1/files} (multipart, purpose {@code batch},
 * {@code .jsonl} up to 200 MB), {@code GET /v1/files/{id}} and {@code /content}, {@code POST
 * /v1/batches} ({@code /v1/embeddings}, {@code 24h}), {@code GET /v1/batches/{id}} and {@code POST
 * /v1/batches/{id}/cancel}. Validation checks every line (JSON, {@code custom_id} unique, {@code
 * POST}, the batch's endpoint, a body), at most 50,000 requests and 50,000 embedding inputs, and
 * the enqueued-token limit per model ({@code token_limit_exceeded}, as OpenAI answers); the other
 * validation codes are the emulator's own. Each line is answered as {@code /v1/embeddings} would
 * answer its body, without faults or rate limits, and billed at the batch price when the job ends.
 */
final class BatchEndpoint extends Endpoint {

  static final String FILES = "/v1/files";
  static final String BATCHES = "/v1/batches";
  static final int MAX_REQUESTS = 50_000;
  static final int MAX_INPUTS = 50_000;
  static final long MAX_FILE_BYTES = 200L * 1024 * 1024;

  /** The lifecycle's durations in emulated time, and how fast emulated time runs. */
  record Timing(
      long validatingNanos,
      long processingNanos,
      long finalizingNanos,
      double scale,
      int failingLines,
      long enqueuedTokenLimit,
      boolean stepwise) {}

  /** Stored files, by id. */
  final class Files {
    private final Map<String, StoredFile> byId = new LinkedHashMap<>();

    String add(String filename, String purpose, byte[] bytes, long at) {
      String id = "file-" + requestId().substring(0, 24);
      byId.put(id, new StoredFile(id, filename, purpose, bytes, at));
      return id;
    }

    StoredFile get(String id) {
      return byId.get(id);
    }
  }

  record StoredFile(String id, String filename, String purpose, byte[] bytes, long createdAt) {}

  private final OpenAiEndpoint openAi;
  private final Timing timing;
  private final long startNanos = System.nanoTime();
  private final long startEpochSeconds = System.currentTimeMillis() / 1000;
  private final Files files = new Files();
  private final Map<String, BatchJob> jobs = new LinkedHashMap<>();
  private final AtomicLong lineFailuresLeft;

  BatchEndpoint(Config config, Stats stats, FaultPlan faults, OpenAiEndpoint openAi, Timing t) {
    super(config, stats, faults, null);
    this.openAi = openAi;
    this.timing = t;
    this.lineFailuresLeft = new AtomicLong(t.failingLines());
  }

  private long now() {
    return (long) ((System.nanoTime() - startNanos) * timing.scale());
  }

  private long epoch(long emulated) {
    return startEpochSeconds + emulated / 1_000_000_000L;
  }

  @Override
  void addHeaders(Headers h, long elapsedMs) {
    h.set("x-request-id", "req_" + requestId());
    h.set("openai-processing-ms", Long.toString(elapsedMs));
  }

  @Override
  Reply serverError(int status) {
    return openAi.serverError(status);
  }

  @Override
  Reply process(HttpExchange ex, byte[] body) {
    String key = bearer(ex);
    if (key == null || !accepted(key)) {
      throw reject(401, "Incorrect API key provided.", "invalid_api_key");
    }
    String method = ex.getRequestMethod();
    String[] p = ex.getRequestURI().getPath().substring(1).split("/");
    synchronized (this) {
      advanceAll();
      if (p.length == 2 && p[1].equals("files") && method.equals("POST")) {
        return upload(ex, body);
      }
      if (p.length >= 3 && p[1].equals("files") && method.equals("GET")) {
        StoredFile f = files.get(p[2]);
        if (f == null || p.length > 4 || (p.length == 4 && !p[3].equals("content"))) {
          throw reject(404, "No such File object: " + p[2], null);
        }
        if (p.length == 4) {
          return new Reply(200, f.bytes()).header("Content-Type", "application/octet-stream");
        }
        return json(fileObject(f));
      }
      if (p.length == 2 && p[1].equals("batches") && method.equals("POST")) {
        return create(body, key);
      }
      if (p.length >= 3 && p[1].equals("batches")) {
        BatchJob job = jobs.get(p[2]);
        if (job == null || !job.key.equals(key)) {
          throw reject(404, "No batch found with id '" + p[2] + "'.", null);
        }
        if (p.length == 3 && method.equals("GET")) {
          return json(batchObject(job));
        }
        if (p.length == 4 && p[3].equals("cancel") && method.equals("POST")) {
          return cancel(job);
        }
      }
      throw reject(404, "Invalid URL (" + method + " " + ex.getRequestURI().getPath() + ")", null);
    }
  }

  private Reply upload(HttpExchange ex, byte[] body) {
    Map<String, Multipart.Part> parts =
        Multipart.parse(ex.getRequestHeaders().getFirst("Content-Type"), body);
    if (parts == null) {
      throw reject(400, "Expected a multipart/form-data body.", null);
    }
    Multipart.Part purpose = parts.get("purpose");
    Multipart.Part file = parts.get("file");
    if (purpose == null || file == null || file.filename() == null) {
      throw reject(400, "'file' and 'purpose' are required.", null);
    }
    String purposeText = new String(purpose.bytes(), StandardCharsets.UTF_8).trim();
    if (!purposeText.equals("batch")) {
      throw reject(
          400, "The emulator accepts only purpose 'batch', got '" + purposeText + "'.", null);
    }
    if (!file.filename().endsWith(".jsonl")) {
      throw reject(400, "The Batch API only supports .jsonl files.", null);
    }
    if (file.bytes().length > MAX_FILE_BYTES) {
      throw reject(400, "File is larger than the 200 MB limit of the Batch API.", null);
    }
    String id = files.add(file.filename(), "batch", file.bytes(), now());
    stats.fileUploaded();
    return json(fileObject(files.get(id)));
  }

  private Reply create(byte[] body, String key) {
    JsonNode root;
    try {
      root = Json.parse(body);
    } catch (IOException e) {
      throw reject(400, "We could not parse the JSON body of your request.", null);
    }
    String fileId = text(root, "input_file_id");
    String endpoint = text(root, "endpoint");
    String window = text(root, "completion_window");
    if (fileId == null || endpoint == null || window == null) {
      throw reject(
          400, "input_file_id, endpoint and completion_window are required.", "missing_required");
    }
    if (!endpoint.equals("/v1/embeddings")) {
      throw reject(400, "The emulator runs only /v1/embeddings batches, got " + endpoint, null);
    }
    if (!window.equals("24h")) {
      throw reject(400, "Invalid completion_window '" + window + "': only '24h'.", "invalid_value");
    }
    StoredFile f = files.get(fileId);
    if (f == null || !f.purpose().equals("batch")) {
      throw reject(400, "Input file " + fileId + " does not exist or is not for batch.", null);
    }
    JsonNode metadata = root.get("metadata");
    String id = "batch_" + requestId().substring(0, 24);
    BatchJob job =
        new BatchJob(
            id,
            fileId,
            endpoint,
            key,
            metadata == null || metadata.isNull() ? null : metadata.toString(),
            now());
    jobs.put(id, job);
    stats.batchCreated();
    return json(batchObject(job));
  }

  private Reply cancel(BatchJob job) {
    if (!job.status.equals("validating") && !job.status.equals("in_progress")) {
      throw reject(400, "Cannot cancel a batch with status '" + job.status + "'.", null);
    }
    job.status = "cancelling";
    job.cancellingAt = now();
    stats.batchCancelled();
    return json(batchObject(job));
  }

  private void advanceAll() {
    long now = now();
    for (BatchJob job : jobs.values()) {
      advance(job, now);
    }
  }

  private void advance(BatchJob job, long now) {
    while (true) {
      switch (job.status) {
        case "validating" -> {
          long at = job.createdAt + timing.validatingNanos();
          if (now < at) {
            return;
          }
          validate(job, at);
          if (job.status.equals("failed") || timing.stepwise()) {
            return;
          }
        }
        case "in_progress" -> {
          long end = job.inProgressAt + timing.processingNanos();
          if (end > job.expiresAt && now >= job.expiresAt) {
            job.expiredAt = job.expiresAt;
            end(
                job,
                "expired",
                job.processed(job.expiresAt, timing.processingNanos()),
                job.expiredAt);
            return;
          }
          if (now < end) {
            return;
          }
          job.status = "finalizing";
          job.finalizingAt = end;
          job.answered = job.lines.size();
          if (timing.stepwise()) {
            return;
          }
        }
        case "finalizing" -> {
          long at = job.finalizingAt + timing.finalizingNanos();
          if (now < at) {
            return;
          }
          job.completedAt = at;
          end(job, "completed", job.lines.size(), at);
          return;
        }
        case "cancelling" -> {
          long at = job.cancellingAt + timing.finalizingNanos();
          if (now < at) {
            return;
          }
          job.cancelledAt = at;
          end(job, "cancelled", job.processed(job.cancellingAt, timing.processingNanos()), at);
          return;
        }
        default -> {
          return;
        }
      }
    }
  }

  private void end(BatchJob job, String status, int answered, long at) {
    job.finish(status, answered, config.shuffleOrder(), files, at);
    if (job.billedTokens > 0) {
      stats.billBatch(job.model, job.billedTokens, answeredInputs(job, answered));
    }
  }

  private static int answeredInputs(BatchJob job, int answered) {
    int n = 0;
    for (int i = 0; i < answered; i++) {
      if (job.lines.get(i).success) {
        n += job.lines.get(i).inputs;
      }
    }
    return n;
  }

  /** Checks the input file and answers every line, or fails the job with its errors. */
  private void validate(BatchJob job, long at) {
    List<String> errors = new ArrayList<>();
    List<BatchJob.Line> lines = new ArrayList<>();
    byte[] content = files.get(job.inputFileId).bytes();
    String[] raw = new String(content, StandardCharsets.UTF_8).split("\n");
    Set<String> ids = new HashSet<>();
    int inputs = 0;
    long tokens = 0;
    String model = null;
    for (int i = 0; i < raw.length && errors.size() < 10; i++) {
      if (raw[i].isBlank()) {
        continue;
      }
      int lineNo = i + 1;
      JsonNode line;
      try {
        line = Json.parse(raw[i].getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        errors.add(error("invalid_json_line", "This line is not parseable as valid JSON.", lineNo));
        continue;
      }
      String customId = text(line, "custom_id");
      JsonNode body = line.get("body");
      if (customId == null
          || !"POST".equals(text(line, "method"))
          || body == null
          || !body.isObject()) {
        errors.add(
            error("invalid_request", "Each line needs custom_id, method POST and a body.", lineNo));
        continue;
      }
      if (!job.endpoint.equals(text(line, "url"))) {
        errors.add(
            error(
                "mismatched_endpoint",
                "The url of this line is not the batch's" + " endpoint " + job.endpoint + ".",
                lineNo));
        continue;
      }
      if (!ids.add(customId)) {
        errors.add(
            error(
                "duplicate_custom_id",
                "The custom_id '" + customId + "' appears more than once.",
                lineNo));
        continue;
      }
      JsonNode input = body.get("input");
      inputs += input != null && input.isArray() ? input.size() : 1;
      model = model == null ? text(body, "model") : model;
      lines.add(answer(customId, body, job.key));
      tokens += lines.get(lines.size() - 1).tokens;
    }
    if (errors.isEmpty() && lines.size() > MAX_REQUESTS) {
      errors.add(
          error(
              "too_many_requests",
              "The input file has "
                  + lines.size()
                  + " requests; a batch may have at most "
                  + MAX_REQUESTS
                  + ".",
              null));
    }
    if (errors.isEmpty() && inputs > MAX_INPUTS) {
      errors.add(
          error(
              "too_many_inputs",
              "The batch has "
                  + inputs
                  + " embedding inputs; a"
                  + " /v1/embeddings batch may have at most "
                  + MAX_INPUTS
                  + ".",
              null));
    }
    if (errors.isEmpty() && timing.enqueuedTokenLimit() > 0) {
      long enqueued = tokens;
      for (BatchJob other : jobs.values()) {
        if (other != job && other.enqueued() && model != null && model.equals(other.model)) {
          enqueued += other.tokens;
        }
      }
      if (enqueued > timing.enqueuedTokenLimit()) {
        errors.add(
            error(
                "token_limit_exceeded",
                "Enqueued token limit reached for "
                    + model
                    + " in organization org-emulator. Limit: "
                    + timing.enqueuedTokenLimit()
                    + " enqueued tokens. Please try again once some in_progress batches have been"
                    + " completed.",
                null));
      }
    }
    if (lines.isEmpty() && errors.isEmpty()) {
      errors.add(error("empty_file", "The input file has no requests.", null));
    }
    job.model = model;
    if (!errors.isEmpty()) {
      job.status = "failed";
      job.failedAt = at;
      job.errorsJson = "[" + String.join(",", errors) + "]";
      return;
    }
    job.lines = lines;
    job.tokens = tokens;
    job.status = "in_progress";
    job.inProgressAt = at;
  }

  private BatchJob.Line answer(String customId, JsonNode body, String key) {
    Reply r;
    try {
      r = openAi.embeddings(body, key, true);
    } catch (Reply.Rejection e) {
      r = e.reply;
    }
    if (r.status == 200 && lineFailuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      r = openAi.serverError(500);
    }
    byte[] bodyBytes = java.util.Arrays.copyOf(r.body, r.length);
    String response =
        "{\"status_code\":" + r.status + ",\"request_id\":\"req_" + requestId() + "\",\"body\":";
    byte[] head = response.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[head.length + bodyBytes.length + 1];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(bodyBytes, 0, all, head.length, bodyBytes.length);
    all[all.length - 1] = '}';
    boolean ok = r.status == 200;
    return new BatchJob.Line(
        customId, all, null, ok, r.billModel, ok ? r.billTokens : 0, ok ? r.billInputs : 0);
  }

  private static String error(String code, String message, Integer line) {
    ObjectNode e = Json.object();
    e.put("code", code);
    e.put("message", message);
    e.putNull("param");
    if (line == null) {
      e.putNull("line");
    } else {
      e.put("line", line);
    }
    return e.toString();
  }

  private ObjectNode fileObject(StoredFile f) {
    ObjectNode o = Json.object();
    o.put("id", f.id());
    o.put("object", "file");
    o.put("bytes", f.bytes().length);
    o.put("created_at", epoch(f.createdAt()));
    o.put("expires_at", epoch(f.createdAt()) + 30L * 24 * 3600);
    o.put("filename", f.filename());
    o.put("purpose", f.purpose());
    o.put("status", "processed");
    return o;
  }

  private ObjectNode batchObject(BatchJob job) {
    ObjectNode o = Json.object();
    o.put("id", job.id);
    o.put("object", "batch");
    o.put("endpoint", job.endpoint);
    if (job.model != null) {
      o.put("model", job.model);
    }
    if (job.errorsJson == null) {
      o.putNull("errors");
    } else {
      ObjectNode errors = o.putObject("errors");
      errors.put("object", "list");
      try {
        errors.set("data", Json.parse(job.errorsJson.getBytes(StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    o.put("input_file_id", job.inputFileId);
    o.put("completion_window", "24h");
    o.put("status", job.status);
    o.put("output_file_id", job.outputFileId);
    o.put("error_file_id", job.errorFileId);
    o.put("created_at", epoch(job.createdAt));
    time(o, "in_progress_at", job.inProgressAt);
    time(o, "expires_at", job.expiresAt);
    time(o, "finalizing_at", job.finalizingAt);
    time(o, "completed_at", job.completedAt);
    time(o, "failed_at", job.failedAt);
    time(o, "expired_at", job.expiredAt);
    time(o, "cancelling_at", job.cancellingAt);
    time(o, "cancelled_at", job.cancelledAt);
    int[] counts = job.counts(now(), timing.processingNanos());
    ObjectNode c = o.putObject("request_counts");
    c.put("total", counts[0]);
    c.put("completed", counts[1]);
    c.put("failed", counts[2]);
    if (job.terminal() && !job.status.equals("failed")) {
      ObjectNode u = o.putObject("usage");
      u.put("input_tokens", job.billedTokens);
      u.putObject("input_tokens_details").put("cached_tokens", 0);
      u.put("output_tokens", 0);
      u.putObject("output_tokens_details").put("reasoning_tokens", 0);
      u.put("total_tokens", job.billedTokens);
    }
    if (job.metadataJson == null) {
      o.putNull("metadata");
    } else {
      try {
        o.set("metadata", Json.parse(job.metadataJson.getBytes(StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return o;
  }

  private void time(ObjectNode o, String field, long emulated) {
    if (emulated < 0) {
      o.putNull(field);
    } else {
      o.put(field, epoch(emulated));
    }
  }

  private static Reply json(ObjectNode o) {
    return new Reply(200, Json.bytes(o));
  }

  private static Reply.Rejection reject(int status, String message, String code) {
    return new Reply.Rejection(
        OpenAiEndpoint.error(status, message, "invalid_request_error", null, code, null));
  }
}
