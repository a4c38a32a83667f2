package dev.embed4j.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class FaultsTest {

  static final String OPENAI =
      "{\"model\":\"text-embedding-3-small\",\"dimensions\":8," + "\"input\":[\"a\",\"b\",\"c\"]}";
  static final String COHERE =
      "{\"model\":\"embed-english-light-v3.0\",\"texts\":[\"a\",\"b\"],"
          + "\"input_type\":\"classification\",\"embedding_types\":[\"float\"]}";

  static EmbeddingEmulator start(Faults faults) {
    return EmbeddingEmulator.builder().faults(faults).start();
  }

  @Test
  void serverErrors_useProviderShapes() throws IOException {
    try (EmbeddingEmulator emu = start(Faults.builder().serverErrorRate(1).seed(1).build())) {
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        Http.Reply r = Http.openAi(emu, OPENAI);
        statuses.add(r.status());
        JsonNode error = r.json().get("error");
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.has("type") && error.has("param") && error.has("code")).isTrue();
      }
      Http.Reply cohere = Http.cohere(emu, COHERE);

      assertThat(statuses).containsOnly(500, 502, 503).contains(500, 502, 503);
      assertThat(cohere.status()).isBetween(500, 503);
      assertThat(cohere.json().get("message").asText()).isNotBlank();
      assertThat(emu.stats().faults(Faults.Kind.SERVER_ERROR)).isEqualTo(31);
      assertThat(emu.stats().serverErrors()).isEqualTo(31);
      assertThat(emu.stats().tokensBilled()).isZero();
    }
  }

  @Test
  void connectionReset_isAnIOExceptionWithoutResponse() {
    try (EmbeddingEmulator emu = start(Faults.builder().resetRate(1).build())) {
      assertThatThrownBy(() -> Http.openAi(emu, OPENAI)).isInstanceOf(IOException.class);
      assertThatThrownBy(() -> Http.cohere(emu, COHERE)).isInstanceOf(IOException.class);

      assertThat(emu.stats().faults(Faults.Kind.CONNECTION_RESET)).isEqualTo(2);
      assertThat(emu.stats().statusCounts()).isEmpty();
      assertThat(emu.stats().requests()).isEqualTo(2);
    }
  }

  @Test
  void truncatedBody_failsWhileReadingTheBody() throws IOException {
    try (EmbeddingEmulator emu = start(Faults.builder().truncatedRate(1).build())) {
      Request request =
          new Request.Builder()
              .url(emu.baseUrl() + "/v1/embeddings")
              .header("Authorization", "Bearer k")
              .post(RequestBody.create(OPENAI, Http.APPLICATION_JSON))
              .build();
      try (Response r = Http.CLIENT.newCall(request).execute()) {
        assertThat(r.code()).isEqualTo(200);
        long declared = Long.parseLong(r.header("Content-Length"));
        assertThat(declared).isPositive();
        assertThatThrownBy(() -> r.body().string())
            .isInstanceOf(IOException.class)
            .isNotInstanceOf(InterruptedIOException.class); // closed, not timed out
      }
      assertThat(emu.stats().faults(Faults.Kind.TRUNCATED_BODY)).isEqualTo(1);
      assertThat(emu.stats().tokensBilled()).isZero();
      // the server keeps serving on new connections
      assertThatThrownBy(() -> Http.cohere(emu, COHERE)).isInstanceOf(IOException.class);
    }
  }

  @Test
  void malformedJson_is200WithInvalidJson() throws IOException {
    try (EmbeddingEmulator emu = start(Faults.builder().malformedRate(1).build())) {
      Http.Reply r = Http.openAi(emu, OPENAI);
      Http.Reply c = Http.cohere(emu, COHERE);

      for (Http.Reply reply : List.of(r, c)) {
        assertThat(reply.status()).isEqualTo(200);
        assertThatThrownBy(() -> Http.JSON.readTree(reply.body()))
            .isInstanceOf(JsonProcessingException.class);
      }
      assertThat(r.body()).startsWith("{\"object\":\"list\",\"data\":[");
      assertThat(emu.stats().faults(Faults.Kind.MALFORMED_JSON)).isEqualTo(2);
      assertThat(emu.stats().requests(200)).isEqualTo(2);
      assertThat(emu.stats().tokensBilled()).isZero();
    }
  }

  @Test
  void wrongCount_isOneEmbeddingShort() throws IOException {
    try (EmbeddingEmulator emu = start(Faults.builder().wrongCountRate(1).build())) {
      Http.Reply r = Http.openAi(emu, OPENAI);
      Http.Reply c = Http.cohere(emu, COHERE);

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().get("data")).hasSize(2);
      assertThat(r.json().get("usage").get("prompt_tokens").asInt()).isEqualTo(3);
      assertThat(c.json().get("embeddings").get("float")).hasSize(1);
      assertThat(emu.stats().faults(Faults.Kind.WRONG_COUNT)).isEqualTo(2);
      assertThat(emu.stats().inputsEmbedded()).isZero();
    }
  }

  @Test
  void duplicateIndex_repeatsOneIndexAndMissesAnother() throws IOException {
    try (EmbeddingEmulator emu = start(Faults.builder().duplicateIndexRate(1).build())) {
      Http.Reply r = Http.openAi(emu, OPENAI);
      Http.Reply single =
          Http.openAi(
              emu, "{\"model\":\"text-embedding-3-small\",\"dimensions\":8,\"input\":\"a\"}");
      Http.Reply c = Http.cohere(emu, COHERE);

      List<Integer> indices = new ArrayList<>();
      r.json().get("data").forEach(item -> indices.add(item.get("index").asInt()));
      assertThat(indices).containsExactly(0, 1, 0);
      assertThat(single.json().get("data")).hasSize(2);
      assertThat(single.json().get("data").get(1).get("index").asInt()).isZero();
      assertThat(c.json().get("embeddings").get("float")).hasSize(3);
      assertThat(emu.stats().faults(Faults.Kind.DUPLICATE_INDEX)).isEqualTo(3);
    }
  }

  @Test
  void slowReply_exceedsTheClientTimeout() {
    Faults faults = Faults.builder().slowRate(1, Duration.ofSeconds(5)).build();
    OkHttpClient impatient =
        Http.CLIENT.newBuilder().readTimeout(200, TimeUnit.MILLISECONDS).build();
    try (EmbeddingEmulator emu = start(faults)) {
      assertThatThrownBy(() -> Http.post(impatient, emu.baseUrl() + "/v1/embeddings", "k", OPENAI))
          .isInstanceOf(InterruptedIOException.class);

      assertThat(emu.stats().faults(Faults.Kind.SLOW)).isEqualTo(1);
      assertThat(emu.stats().inFlight()).isEqualTo(1);
    }
  }

  @Test
  void slowReply_isValidWhenAwaited() throws IOException {
    Faults faults = Faults.builder().slowRate(1, Duration.ofMillis(50)).build();
    try (EmbeddingEmulator emu = start(faults)) {
      Http.Reply r = Http.openAi(emu, OPENAI);

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().get("data")).hasSize(3);
      assertThat(emu.stats().tokensBilled()).isZero();
    }
  }

  @Test
  void faultsApplyOnlyToValidRequests() throws IOException {
    try (EmbeddingEmulator emu = start(Faults.builder().serverErrorRate(1).build())) {
      Http.Reply invalid =
          Http.openAi(emu, "{\"model\":\"text-embedding-3-small\",\"input\":\"\"}");

      assertThat(invalid.status()).isEqualTo(400);
      assertThat(emu.stats().faults()).isZero();
    }
  }

  @Test
  void sameSeed_sameFaultSequence() throws IOException {
    Faults faults =
        Faults.builder()
            .serverErrorRate(0.2)
            .resetRate(0.1)
            .malformedRate(0.1)
            .wrongCountRate(0.1)
            .duplicateIndexRate(0.1)
            .seed(42)
            .build();

    List<String> first = outcomes(faults, 60);
    List<String> second = outcomes(faults, 60);
    List<String> otherSeed =
        outcomes(
            Faults.builder()
                .serverErrorRate(0.2)
                .resetRate(0.1)
                .malformedRate(0.1)
                .wrongCountRate(0.1)
                .duplicateIndexRate(0.1)
                .seed(43)
                .build(),
            60);

    assertThat(first).isEqualTo(second).isNotEqualTo(otherSeed);
    assertThat(first).contains("reset", "500", "502", "503").anyMatch(s -> s.startsWith("200:"));
  }

  private static List<String> outcomes(Faults faults, int n) throws IOException {
    List<String> out = new ArrayList<>();
    try (EmbeddingEmulator emu = start(faults)) {
      for (int i = 0; i < n; i++) {
        try {
          Http.Reply r = Http.openAi(emu, OPENAI);
          out.add(r.status() + (r.status() == 200 ? ":" + r.body().length() : ""));
        } catch (IOException e) {
          out.add("reset");
        }
      }
      long faulted = emu.stats().faults();
      assertThat(faulted).isBetween(10L, 50L);
      assertThat(emu.stats().inputsEmbedded()).isEqualTo(3 * (n - faulted));
    }
    return out;
  }

  @Test
  void failNext_scriptsReplies() throws IOException {
    try (EmbeddingEmulator emu = EmbeddingEmulator.builder().start()) {
      emu.failNext(
          2,
          429,
          "{\"error\":{\"message\":\"slow down\",\"type\":\"requests\","
              + "\"param\":null,\"code\":\"rate_limit_exceeded\"}}",
          Map.of("retry-after-ms", "5"));
      emu.failNext(1, 500, "{}");

      Http.Reply a = Http.openAi(emu, OPENAI);
      Http.Reply b = Http.cohere(emu, COHERE);
      Http.Reply c = Http.openAi(emu, OPENAI);
      Http.Reply d = Http.openAi(emu, OPENAI);

      assertThat(a.status()).isEqualTo(429);
      assertThat(a.headers().get("retry-after-ms")).isEqualTo("5");
      assertThat(a.json().get("error").get("message").asText()).isEqualTo("slow down");
      assertThat(b.status()).isEqualTo(429);
      assertThat(c.status()).isEqualTo(500);
      assertThat(d.status()).isEqualTo(200);
      assertThat(emu.stats().faults(Faults.Kind.SCRIPTED)).isEqualTo(3);
      assertThat(emu.stats().rateLimited()).isZero();
    }
  }

  @Test
  void failNext_rejectsBadArguments() {
    try (EmbeddingEmulator emu = EmbeddingEmulator.builder().start()) {
      assertThatThrownBy(() -> emu.failNext(0, 500, "{}"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> emu.failNext(1, 600, "{}"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void builder_rateOutOfRange() {
    assertThatThrownBy(() -> Faults.builder().resetRate(1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CONNECTION_RESET");
    assertThatThrownBy(() -> Faults.builder().serverErrorRate(-0.1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Faults.builder().serverErrorRate(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void builder_ratesAddingUpToMoreThanOne() {
    Faults.Builder b = Faults.builder().serverErrorRate(0.6).resetRate(0.5);

    assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void builder_negativeSlowDelay() {
    assertThatThrownBy(() -> Faults.builder().slowRate(0.1, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void none_hasNoFaults() {
    assertThat(Faults.NONE.any()).isFalse();
    assertThat(Faults.NONE.rate(Faults.Kind.SERVER_ERROR)).isZero();
  }
}
