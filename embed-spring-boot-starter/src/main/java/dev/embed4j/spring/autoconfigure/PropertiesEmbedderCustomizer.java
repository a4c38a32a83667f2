package dev.embed4j.spring.autoconfigure;

import dev.embed4j.Embedder;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.core.Ordered;

/**
 * Applies the {@code embed4j.*} tuning properties to the embedder's builder. Only the properties
 * that are set are applied (Boot's {@link PropertyMapper} skips nulls), so an unset one keeps
 * core's default. Ordered at {@link #ORDER}: customizers ordered after it, as those without an
 * order are, see its settings and win over them.
 */
final class PropertiesEmbedderCustomizer implements Embed4jEmbedderCustomizer, Ordered {
  /** The order of this customizer. */
  static final int ORDER = 0;

  private final Embed4jProperties properties;

  PropertiesEmbedderCustomizer(Embed4jProperties properties) {
    this.properties = properties;
  }

  @Override
  public void customize(Embedder.Builder builder) {
    PropertyMapper map = PropertyMapper.get();
    Embed4jProperties p = properties;
    map.from(p::getDimensions).to(builder::dimensions);
    map.from(p::getInputType).to(builder::inputType);
    map.from(p::getTruncate).to(builder::truncate);
    map.from(p::getBatchSize).to(builder::batchSize);
    map.from(p::getMaxConcurrentRequests).to(builder::maxConcurrentRequests);
    map.from(p::getMaxAttempts).to(builder::maxAttempts);
    map.from(p::getRequestTimeout).to(builder::requestTimeout);
    map.from(p::getConnectTimeout).to(builder::connectTimeout);
    map.from(p.getRetry()::getInitialBackoff).to(builder::initialBackoff);
    map.from(p.getRetry()::getMaxBackoff).to(builder::maxBackoff);
    map.from(p.getRateLimit()::getRequestsPerMinute).to(builder::requestsPerMinute);
    map.from(p.getRateLimit()::getTokensPerMinute).to(builder::tokensPerMinute);
    map.from(p.getRateLimit()::getLearn).to(builder::learnRateLimits);
    map.from(p::getMaxCost).to(builder::maxCost);
    map.from(p::getRunTimeout).to(builder::runTimeout);
    map.from(p::getShowProgress).to(builder::showProgress);
    map.from(p::getMode).to(builder::mode);
    map.from(p.getBatchApi()::getStateDirectory).to(builder::batchStateDirectory);
    map.from(p.getBatchApi()::getPollInterval).to(builder::batchPollInterval);
    map.from(p.getBatchApi()::getMaxPollInterval).to(builder::batchMaxPollInterval);
    map.from(p.getBatchApi()::getRetryRealtime).to(builder::batchRetryRealtime);
    map.from(p.getBatchApi()::getEnqueuedTokenLimit).to(builder::batchEnqueuedTokenLimit);
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}
