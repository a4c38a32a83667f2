package dev.embed4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embed4j.ProviderException;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RateLimitException;
import org.junit.jupiter.api.Test;

/** A LangChain4j model's failures as the core exceptions the engine acts on. */
class ExceptionsTest {

  private static ProviderException toEmbed4j(RuntimeException e) {
    return Exceptions.toEmbed4j(e, LangChain4jEmbeddingProvider.ID, "scripted");
  }

  @Test
  void rateLimitException_withoutStatus_isACoreRateLimitOf429() {
    RateLimitException e = new RateLimitException("slow down");

    ProviderException p = toEmbed4j(e);

    assertThat(p).isInstanceOf(dev.embed4j.RateLimitException.class).hasCause(e);
    assertThat(p.statusCode()).isEqualTo(429);
    assertThat(p.isRetryable()).isTrue();
    assertThat(p.isRateLimited()).isTrue();
    assertThat(p.provider()).isEqualTo(LangChain4jEmbeddingProvider.ID);
    assertThat(p.model()).isEqualTo("scripted");
  }

  @Test
  void authenticationException_isACoreAuthenticationException_401Or403() {
    ProviderException noStatus = toEmbed4j(new AuthenticationException("bad key"));
    ProviderException forbidden =
        toEmbed4j(new AuthenticationException("no access", new HttpException(403, "forbidden")));

    assertThat(noStatus).isInstanceOf(dev.embed4j.AuthenticationException.class);
    assertThat(noStatus.statusCode()).isEqualTo(401);
    assertThat(noStatus.isRetryable()).isFalse();
    assertThat(forbidden).isInstanceOf(dev.embed4j.AuthenticationException.class);
    assertThat(forbidden.statusCode()).isEqualTo(403);
  }

  @Test
  void httpException_isClassifiedByItsStatus() {
    assertThat(toEmbed4j(new HttpException(503, "unavailable")).isRetryable()).isTrue();
    assertThat(toEmbed4j(new HttpException(409, "conflict")).isRetryable()).isTrue();
    assertThat(toEmbed4j(new HttpException(400, "bad request")).isRetryable()).isFalse();
    assertThat(toEmbed4j(new HttpException(429, "too many")))
        .isInstanceOf(dev.embed4j.RateLimitException.class);
    assertThat(toEmbed4j(new HttpException(401, "who?")))
        .isInstanceOf(dev.embed4j.AuthenticationException.class);
  }

  @Test
  void langChain4jsRetriableOrNot_winsOverTheStatusInTheCauses() {
    ProviderException retriable = toEmbed4j(new InternalServerException("oops"));
    ProviderException invalidWith503 =
        toEmbed4j(new InvalidRequestException("too long", new HttpException(503, "x")));
    ProviderException nonRetriable429 =
        toEmbed4j(new NonRetriableException("quota", new HttpException(429, "x")));

    assertThat(retriable.isRetryable()).isTrue();
    assertThat(invalidWith503.isRetryable()).isFalse();
    assertThat(invalidWith503.statusCode()).isEqualTo(503);
    assertThat(nonRetriable429.isRetryable()).isFalse();
    assertThat(nonRetriable429.isRateLimited()).isFalse();
  }

  @Test
  void otherExceptions_areNotRetryable_andNameTheOriginal() {
    IllegalStateException e = new IllegalStateException("model not loaded");

    ProviderException p = toEmbed4j(e);

    assertThat(p.isRetryable()).isFalse();
    assertThat(p.statusCode()).isZero();
    assertThat(p)
        .hasCause(e)
        .hasMessage("LangChain4j model scripted failed: IllegalStateException: model not loaded");
    assertThat(toEmbed4j(new LangChain4jException("plain")).isRetryable()).isFalse();
  }
}
