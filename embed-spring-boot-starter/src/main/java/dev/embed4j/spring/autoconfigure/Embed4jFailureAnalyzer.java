package dev.embed4j.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link Embed4jConfigurationException} into Spring Boot's "Description / Action" start-up
 * report.
 */
final class Embed4jFailureAnalyzer extends AbstractFailureAnalyzer<Embed4jConfigurationException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, Embed4jConfigurationException cause) {
    return new FailureAnalysis(cause.description(), cause.action(), cause);
  }
}
