package dev.embed4j.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import okhttp3.HttpUrl;

/**
 * Azure OpenAI's embeddings: OpenAI's body and reply (base64 floats, {@code dimensions} for a
 * reduced size), posted to a deployment, {@code {endpoint}/openai/deployments/{deployment}/
 * embeddings?api-version=...} (the deployment from the base URL, else named as the model), or to
 * the v1 API, {@code {endpoint}/openai/v1/embeddings} with the deployment as {@code model}.
 */
final class AzureOpenAiProvider extends JsonProvider {
  /** The latest generally available data-plane version when no {@code api-version} is given. */
  static final String API_VERSION = "2024-10-21";

  private final HttpUrl resource;
  private final String apiVersion;
  private final boolean v1;
  private final boolean fixedDeployment;

  AzureOpenAiProvider(HttpCall http, HttpUrl base) {
    super(http, fixedEndpoint(base));
    List<String> path = segments(base);
    int openai = path.indexOf("openai");
    this.v1 = openai >= 0 && path.size() > openai + 1 && path.get(openai + 1).equals("v1");
    this.fixedDeployment =
        openai >= 0 && path.size() > openai + 2 && path.get(openai + 1).equals("deployments");
    this.apiVersion =
        base.queryParameter("api-version") != null
            ? base.queryParameter("api-version")
            : API_VERSION;
    HttpUrl.Builder r = base.newBuilder().encodedPath("/").query(null);
    (openai >= 0 ? path.subList(0, openai) : path).forEach(r::addPathSegment);
    this.resource = r.build();
  }

  /** The endpoint when the base URL names it (v1 or a deployment), else the resource's root. */
  private static HttpUrl fixedEndpoint(HttpUrl base) {
    List<String> path = segments(base);
    int openai = path.indexOf("openai");
    HttpUrl.Builder b = base.newBuilder().encodedPath("/");
    if (openai >= 0 && path.size() > openai + 1 && path.get(openai + 1).equals("v1")) {
      path.subList(0, openai + 2).forEach(b::addPathSegment);
      return b.query(null).addPathSegment("embeddings").build();
    }
    if (openai >= 0 && path.size() > openai + 2 && path.get(openai + 1).equals("deployments")) {
      path.subList(0, openai + 3).forEach(b::addPathSegment);
      String version = base.queryParameter("api-version");
      return b.query(null)
          .addPathSegment("embeddings")
          .addQueryParameter("api-version", version != null ? version : API_VERSION)
          .build();
    }
    return base;
  }

  private static List<String> segments(HttpUrl url) {
    List<String> s = new ArrayList<>(url.pathSegments());
    s.removeIf(String::isEmpty);
    return s;
  }

  @Override
  HttpUrl endpoint(Request request) {
    if (v1 || fixedDeployment) {
      return super.endpoint(request);
    }
    return resource
        .newBuilder()
        .addPathSegment("openai")
        .addPathSegment("deployments")
        .addPathSegment(request.model().name())
        .addPathSegment("embeddings")
        .addQueryParameter("api-version", apiVersion)
        .build();
  }

  @Override
  byte[] body(Request request) throws IOException {
    ByteArrayOutputStream out = bodyBuffer(request);
    try (JsonGenerator g = HttpCall.JSON_FACTORY.createGenerator(out)) {
      g.writeStartObject();
      if (v1) {
        g.writeStringField("model", request.model().name());
      }
      g.writeArrayFieldStart("input");
      for (String text : request.texts()) {
        JsonStrings.write(g, text);
      }
      g.writeEndArray();
      if (request.dimensions() != request.model().dimensions()) {
        g.writeNumberField("dimensions", request.dimensions());
      }
      g.writeStringField("encoding_format", "base64");
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  @Override
  HttpCall.Decoded read(byte[] reply, int length, Request request) throws IOException {
    return OpenAiProvider.parse(reply, length, request.texts().size(), request.dimensions());
  }

  @Override
  String errorCode(int status, String code, String message) {
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    if (status == 400 && (m.startsWith("too many inputs") || m.contains("tokens per request"))) {
      return ErrorMapping.REQUEST_TOO_LARGE;
    }
    return code;
  }
}
