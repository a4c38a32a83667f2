package dev.embed4j.spring.autoconfigure;

import dev.embed4j.EmbedListener;
import dev.embed4j.Embedder;
import dev.embed4j.ModelRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationConvention;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/** The configurations {@link Embed4jAutoConfiguration} imports. */
final class Embed4jConfigurations {
  /** The value of Spring AI's {@code spring.ai.model.embedding} that selects Embed4j's model. */
  static final String SPRING_AI_MODEL = "embed4j";

  private Embed4jConfigurations() {}

  @Configuration(proxyBeanMethods = false)
  static class EventsConfiguration {

    @Bean
    EmbedListener embed4jEventPublisher(ApplicationEventPublisher publisher) {
      return new EventPublishingEmbedListener(publisher);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  @ConditionalOnBean(MeterRegistry.class)
  static class MetricsConfiguration {

    @Bean
    EmbedListener embed4jMeterListener(MeterRegistry meterRegistry) {
      return new MeterEmbedListener(meterRegistry);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(Embedder.class)
  static class EmbedderConfiguration {

    @Bean(destroyMethod = "close")
    Embedder embed4jEmbedder(
        Embed4jProperties properties,
        Environment environment,
        ResourceLoader resourceLoader,
        ObjectProvider<ModelRegistry> registry,
        ObjectProvider<EmbedListener> listeners,
        ObjectProvider<Embed4jEmbedderCustomizer> customizers) {
      return new EmbedderFactory(
              properties,
              environment,
              registry.getIfUnique(ModelRegistry::defaults),
              resourceLoader.getClassLoader())
          .create(listeners.orderedStream().toList(), customizers.orderedStream().toList());
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({
    org.springframework.ai.embedding.EmbeddingModel.class,
    dev.embed4j.springai.Embed4jEmbeddingModel.class
  })
  @ConditionalOnProperty(
      name = "spring.ai.model.embedding",
      havingValue = SPRING_AI_MODEL,
      matchIfMissing = true)
  static class SpringAiConfiguration {

    @Bean
    @ConditionalOnMissingBean(org.springframework.ai.embedding.EmbeddingModel.class)
    dev.embed4j.springai.Embed4jEmbeddingModel embed4jEmbeddingModel(
        Embedder embedder,
        ObjectProvider<ModelRegistry> registry,
        ObjectProvider<ObservationRegistry> observationRegistry,
        ObjectProvider<EmbeddingModelObservationConvention> observationConvention) {
      dev.embed4j.springai.Embed4jEmbeddingModel.Builder builder =
          dev.embed4j.springai.Embed4jEmbeddingModel.builder(embedder)
              .registry(registry.getIfUnique(ModelRegistry::defaults))
              .observationRegistry(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP));
      observationConvention.ifUnique(builder::observationConvention);
      return builder.build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = {
        "dev.langchain4j.model.embedding.EmbeddingModel",
        "dev.embed4j.langchain4j.Embed4jEmbeddingModel"
      })
  static class LangChain4jConfiguration {

    @Bean
    @ConditionalOnMissingBean(dev.langchain4j.model.embedding.EmbeddingModel.class)
    dev.embed4j.langchain4j.Embed4jEmbeddingModel embed4jLangChain4jEmbeddingModel(
        Embedder embedder,
        ObjectProvider<ModelRegistry> registry,
        ObjectProvider<dev.langchain4j.model.embedding.listener.EmbeddingModelListener> listeners) {
      return dev.embed4j.langchain4j.Embed4jEmbeddingModel.builder()
          .embedder(embedder)
          .registry(registry.getIfUnique(ModelRegistry::defaults))
          .listeners(listeners.orderedStream().toList())
          .build();
    }
  }
}
