package dev.embed4j.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.embed4j.Embed4jException;
import dev.embed4j.ProviderException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * OpenAI's files and batches endpoints, as a Batch API run uses them: upload a JSONL file ({@code
 * POST /v1/files}, multipart, purpose {@code batch}), create a job ({@code POST /v1/batches},
 * endpoint {@code /v1/embeddings}, completion window {@code 24h}), retrieve and cancel it, and
 * stream a file's content. Error replies become {@link ProviderException}s through {@link
 * ErrorMapping}; retryable ones (and connection failures) are tried again under the run's {@link
 * RetryPolicy}.
 */
final class BatchApiClient {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final MediaType JSONL = MediaType.get("application/jsonl");

  /** What a {@code /v1/batches} object says of a job. */
  record Job(
      String id,
      String status,
      String outputFileId,
      String errorFileId,
      int total,
      int completed,
      int failed,
      List<String> errorCodes,
      String errorMessage) {

    /** Why a line of this ended job has no answer, for the batch it carried. */
    Embed4jException unanswered(Batch b, String provider, dev.embed4j.ModelSpec model) {
      boolean overLimit = errorCodes.contains("token_limit_exceeded");
      String why =
          switch (status) {
            case "failed" -> "failed validation: " + errorMessage;
            case "expired" -> "expired before this line was answered";
            case "cancelled" -> "was cancelled before this line was answered";
            default -> "ended " + status + " without an answer for this line";
          };
      return ProviderException.builder(provider, model.id())
          .errorCode(errorCodes.isEmpty() ? null : errorCodes.get(0))
          .retryable(status.equals("expired") || overLimit)
          .build(
              "Batch "
                  + b.id()
                  + " (inputs "
                  + b.describeIndices()
                  + ") not embedded: Batch API job "
                  + id
                  + " "
                  + why
                  + (overLimit
                      ? ". Set batchEnqueuedTokenLimit to your account's limit for " + model.name()
                      : ""));
    }

    boolean ended() {
      return switch (status) {
        case "completed", "failed", "expired", "cancelled" -> true;
        default -> false;
      };
    }
  }

  /** Reads a streamed file. */
  @FunctionalInterface
  interface ContentReader {
    void read(InputStream in) throws IOException;
  }

  private final HttpCall http;
  private final OkHttpClient transfers;
  private final HttpUrl files;
  private final HttpUrl batches;
  private final String model;
  private final RetryPolicy policy;
  private final RunControl control;

  BatchApiClient(
      HttpCall http, HttpUrl base, String model, RetryPolicy policy, RunControl control) {
    this.http = http;
    // Files of up to 200 MB: no deadline for the whole call, the read timeout still applies.
    this.transfers = http.client().newBuilder().callTimeout(Duration.ZERO).build();
    this.files = HttpCall.endpoint(base, "v1", "files");
    this.batches = HttpCall.endpoint(base, "v1", "batches");
    this.model = model;
    this.policy = policy;
    this.control = control;
  }

  /** Uploads a job's input file; its id. */
  String upload(byte[] jsonl, String filename) {
    RequestBody body =
        new MultipartBody.Builder()
            .setType(MultipartBody.FORM)
            .addFormDataPart("purpose", "batch")
            .addFormDataPart("file", filename, RequestBody.create(jsonl, JSONL))
            .build();
    return text(call(new Request.Builder().url(files).post(body), true, Retry.ALWAYS), "id");
  }

  /** Creates a job over an uploaded file. */
  Job create(String inputFileId, Map<String, String> metadata) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("input_file_id", inputFileId);
    root.put("endpoint", "/v1/embeddings");
    root.put("completion_window", "24h");
    ObjectNode meta = root.putObject("metadata");
    metadata.forEach(meta::put);
    RequestBody body = RequestBody.create(root.toString(), HttpCall.JSON);
    // A job created twice is billed twice: a call that may have reached OpenAI is not repeated.
    return job(call(new Request.Builder().url(batches).post(body), false, Retry.IF_ANSWERED));
  }

  Job retrieve(String id) {
    return job(call(new Request.Builder().url(job(id, null)).get(), false, Retry.ALWAYS));
  }

  /** Asks OpenAI to cancel a job: one attempt, as the run is being stopped. */
  Job cancel(String id) {
    RequestBody empty = RequestBody.create(new byte[0], HttpCall.JSON);
    return job(call(new Request.Builder().url(job(id, "cancel")).post(empty), false, Retry.NEVER));
  }

  /** Streams the content of a file to {@code reader}, retrying a failed download whole. */
  void content(String fileId, ContentReader reader) {
    HttpUrl url = files.newBuilder().addPathSegment(fileId).addPathSegment("content").build();
    for (int attempt = 1; ; attempt++) {
      Embed4jException failure;
      try (Response r =
          transfers.newCall(http.authorized(new Request.Builder().url(url))).execute()) {
        if (r.isSuccessful()) {
          try (InputStream in = r.body().byteStream()) {
            reader.read(in);
            return;
          }
        }
        failure = ErrorMapping.fromReply(http.provider(), model, r);
      } catch (IOException e) {
        failure = transportFailure("downloading file " + fileId, e);
      }
      pause(failure, attempt);
    }
  }

  private HttpUrl job(String id, String action) {
    HttpUrl.Builder b = batches.newBuilder().addPathSegment(id);
    return action == null ? b.build() : b.addPathSegment(action).build();
  }

  /** Which failures a call is repeated after. */
  private enum Retry {
    ALWAYS,
    /** Only after an error reply: otherwise the request may have been carried out. */
    IF_ANSWERED,
    NEVER
  }

  private JsonNode call(Request.Builder request, boolean transfer, Retry retry) {
    Request r = http.authorized(request);
    for (int attempt = 1; ; attempt++) {
      Embed4jException failure;
      boolean refused = false; // an error reply: the request was not carried out
      try (Response response = (transfer ? transfers : http.client()).newCall(r).execute()) {
        if (response.isSuccessful()) {
          return MAPPER.readTree(response.body().byteStream());
        }
        refused = true;
        failure = ErrorMapping.fromReply(http.provider(), model, response);
      } catch (IOException e) {
        failure =
            transportFailure(
                r.method()
                    + " "
                    + r.url().encodedPath()
                    + (retry != Retry.IF_ANSWERED
                        ? ""
                        : " (it may have been carried out: look for the job among your batches)"),
                e);
      }
      if (retry == Retry.NEVER || (retry == Retry.IF_ANSWERED && !refused)) {
        throw failure;
      }
      pause(failure, attempt);
    }
  }

  private ProviderException transportFailure(String what, IOException e) {
    return ProviderException.builder(http.provider(), model)
        .retryable(true)
        .cause(e)
        .build("Batch API call failed while " + what + ": " + e);
  }

  /** Waits before attempt {@code attempt + 1}, or throws if the policy or the run says no. */
  private void pause(Embed4jException failure, int attempt) {
    Embed4jException stopped = control.stopped();
    if (stopped != null && control.isAborted()) {
      throw stopped;
    }
    RetryPolicy.Decision d = policy.decide(failure, attempt);
    if (!d.retry() || !control.sleep(d.delay().toNanos())) {
      throw control.isAborted() ? control.stopped() : failure;
    }
  }

  private static Job job(JsonNode n) {
    JsonNode counts = n.path("request_counts");
    List<String> codes = new ArrayList<>();
    StringBuilder message = new StringBuilder();
    for (JsonNode e : n.path("errors").path("data")) {
      codes.add(e.path("code").asText(""));
      if (message.length() < 2000) {
        message
            .append(message.length() == 0 ? "" : "; ")
            .append(e.path("code").asText(""))
            .append(": ")
            .append(e.path("message").asText(""))
            .append(e.path("line").isInt() ? " (line " + e.path("line").asInt() + ")" : "");
      }
    }
    return new Job(
        text(n, "id"),
        text(n, "status"),
        text(n, "output_file_id"),
        text(n, "error_file_id"),
        counts.path("total").asInt(),
        counts.path("completed").asInt(),
        counts.path("failed").asInt(),
        List.copyOf(codes),
        message.toString());
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
