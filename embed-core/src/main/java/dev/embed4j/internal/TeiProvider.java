package dev.embed4j.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import okhttp3.HttpUrl;

/**
 * Hugging Face text-embeddings-inference's {@code POST /embed}: {@code inputs}, {@code normalize}
 * true, {@code truncate} only when asked for, {@code dimensions} for a reduced size of a Matryoshka
 * model. The server embeds the one model it was started with (the request names none); the reply is
 * a bare array of vectors in input order, and the tokens are in its {@code x-compute-tokens}
 * header.
 */
final class TeiProvider extends JsonProvider {
  TeiProvider(HttpCall http, HttpUrl base) {
    super(http, endpoint(base));
  }

  private static HttpUrl endpoint(HttpUrl base) {
    List<String> s = new ArrayList<>(base.pathSegments());
    s.removeIf(String::isEmpty);
    HttpUrl.Builder b = base.newBuilder().encodedPath("/");
    s.forEach(b::addPathSegment);
    return b.addPathSegment("embed").build();
  }

  @Override
  byte[] body(Request request) throws IOException {
    ByteArrayOutputStream out = bodyBuffer(request);
    try (JsonGenerator g = HttpCall.JSON_FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("inputs");
      for (String text : request.texts()) {
        JsonStrings.write(g, text);
      }
      g.writeEndArray();
      g.writeBooleanField("normalize", true);
      g.writeBooleanField("truncate", request.truncate());
      if (request.dimensions() != request.model().dimensions()) {
        g.writeNumberField("dimensions", request.dimensions());
      }
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  @Override
  HttpCall.Decoded read(byte[] reply, int length, Request request) throws IOException {
    List<float[]> vectors = new ArrayList<>(request.texts().size());
    try (JsonParser p = HttpCall.JSON_FACTORY.createParser(reply, 0, length)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new IOException("the reply is not a JSON array of vectors");
      }
      while (p.nextToken() == JsonToken.START_ARRAY) {
        vectors.add(FloatDecoding.readFloatArray(p, request.dimensions()));
      }
    }
    return new HttpCall.Decoded(vectors, -1);
  }

  /** "batch size 40 > maximum allowed batch size 32". */
  @Override
  String errorCode(int status, String code, String message) {
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    if ((status == 413 || status == 422) && m.contains("maximum allowed batch size")) {
      return ErrorMapping.REQUEST_TOO_LARGE;
    }
    return code;
  }
}
