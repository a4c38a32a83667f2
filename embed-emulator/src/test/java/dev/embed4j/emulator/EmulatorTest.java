package dev.embed4j.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** Lifecycle, concurrency, stats and the command line. */
class EmulatorTest {

  static final String BODY =
      "{\"model\":\"text-embedding-3-small\",\"encoding_format\":\"base64\","
          + "\"input\":[\"a\",\"b\",\"c\",\"d\"]}";

  @Test
  void servesManyRequestsConcurrently() throws Exception {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(64);
    dispatcher.setMaxRequestsPerHost(64);
    OkHttpClient client = Http.CLIENT.newBuilder().dispatcher(dispatcher).build();
    try (EmbeddingEmulator emu =
        EmbeddingEmulator.builder().latency(Duration.ofMillis(300)).start()) {
      List<CompletableFuture<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        Request req =
            new Request.Builder()
                .url(emu.baseUrl() + "/v1/embeddings")
                .header("Authorization", "Bearer k")
                .post(RequestBody.create(BODY, Http.APPLICATION_JSON))
                .build();
        client
            .newCall(req)
            .enqueue(
                new Callback() {
                  @Override
                  public void onFailure(Call call, IOException e) {
                    f.completeExceptionally(e);
                  }

                  @Override
                  public void onResponse(Call call, Response response) throws IOException {
                    try (response) {
                      response.body().string();
                      f.complete(response.code());
                    }
                  }
                });
        calls.add(f);
      }
      for (CompletableFuture<Integer> f : calls) {
        assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(200);
      }

      Stats s = emu.stats();
      assertThat(s.requests()).isEqualTo(64);
      assertThat(s.requests(200)).isEqualTo(64);
      assertThat(s.inputsEmbedded()).isEqualTo(256);
      assertThat(s.tokensBilled("text-embedding-3-small")).isEqualTo(256);
      assertThat(s.batchSizes()).hasSize(64).containsOnly(4);
      assertThat(s.maxInFlight()).isGreaterThan(8);
    } finally {
      dispatcher.executorService().shutdown();
    }
  }

  @Test
  void statsReset() throws IOException {
    try (EmbeddingEmulator emu = EmbeddingEmulator.builder().start()) {
      Http.openAi(emu, BODY);
      Http.openAi(emu, "{}");
      assertThat(emu.stats().statusCounts()).containsEntry(200, 1L).containsEntry(400, 1L);
      assertThat(emu.stats().toString()).contains("requests=2");

      emu.stats().reset();

      Stats s = emu.stats();
      assertThat(s.requests()).isZero();
      assertThat(s.statusCounts()).isEmpty();
      assertThat(s.tokensBilled()).isZero();
      assertThat(s.tokensBilledByModel()).isEmpty();
      assertThat(s.inputsEmbedded()).isZero();
      assertThat(s.batchSizes()).isEmpty();
      assertThat(s.faultCounts()).containsOnlyKeys(Faults.Kind.values()).doesNotContainValue(1L);
    }
  }

  @Test
  void baseUrlIsLoopback_andCloseStopsTheServer() throws IOException {
    EmbeddingEmulator emu = EmbeddingEmulator.builder().start();
    assertThat(emu.baseUrl()).isEqualTo("http://127.0.0.1:" + emu.port());
    assertThat(Http.openAi(emu, BODY).status()).isEqualTo(200);

    emu.close();

    OkHttpClient fresh = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    assertThatThrownBy(() -> Http.post(fresh, emu.baseUrl() + "/v1/embeddings", "k", BODY))
        .isInstanceOf(IOException.class);
  }

  @Test
  void portInUse() {
    try (EmbeddingEmulator emu = EmbeddingEmulator.builder().start()) {
      assertThatThrownBy(() -> EmbeddingEmulator.builder().port(emu.port()).start())
          .isInstanceOf(UncheckedIOException.class);
    }
  }

  @Test
  void builder_rejectsBadArguments() {
    EmbeddingEmulator.Builder b = EmbeddingEmulator.builder();
    assertThatThrownBy(() -> b.port(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.port(65536)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.latency(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.requestsPerMinute(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.tokensPerMinute(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.faults(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.apiKeys("a", null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void latencyDelaysEveryReply() throws IOException {
    try (EmbeddingEmulator emu =
        EmbeddingEmulator.builder().latency(Duration.ofMillis(150)).start()) {
      Http.Reply r = Http.openAi(emu, "{}");

      assertThat(r.status()).isEqualTo(400);
      // openai-processing-ms is measured by the server and includes the latency
      assertThat(Long.parseLong(r.headers().get("openai-processing-ms")))
          .isGreaterThanOrEqualTo(150);
    }
  }

  @Test
  void main_parsesFlags() throws IOException {
    EmbeddingEmulator.Builder b =
        EmulatorMain.parse(
            new String[] {
              "--port",
              "0",
              "--rpm",
              "1",
              "--api-key",
              "k1",
              "--api-key",
              "k2",
              "--fault-5xx",
              "0",
              "--seed",
              "3",
              "--shuffle-order",
              "--ignore-encoding-format",
              "--latency-ms",
              "0"
            });
    try (EmbeddingEmulator emu = b.start()) {
      String url = emu.baseUrl() + "/v1/embeddings";
      assertThat(Http.post(Http.CLIENT, url, "k3", BODY).status()).isEqualTo(401);
      Http.Reply ok = Http.post(Http.CLIENT, url, "k2", BODY);
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.json().get("data").get(0).get("embedding").isArray()).isTrue();
      assertThat(Http.post(Http.CLIENT, url, "k2", BODY).status()).isEqualTo(429);
    }
    assertThat(EmulatorMain.parse(new String[] {"--help"})).isNull();
    assertThatThrownBy(() -> EmulatorMain.parse(new String[] {"--nope", "1"}))
        .hasMessageContaining("--nope");
    assertThatThrownBy(() -> EmulatorMain.parse(new String[] {"--rpm"}))
        .hasMessageContaining("missing value");
    assertThatThrownBy(
            () -> EmulatorMain.parse(new String[] {"--fault-5xx", "0.7", "--fault-reset", "0.7"}))
        .isInstanceOf(IllegalStateException.class);
  }
}
