package dev.embed4j.spring.autoconfigure;

import dev.embed4j.EmbedListener;
import dev.embed4j.Embedder;
import dev.embed4j.ModelRegistry;
import dev.embed4j.langchain4j.LangChain4jEmbeddingModel;
import dev.embed4j.spi.EmbeddingCache;
import dev.embed4j.springai.SpringAiEmbeddingModel;
import dev.langchain4j.model.embedding.listener.EmbeddingModelListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.ai.embedding.EmbeddingModel;
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

    @Bean
    PropertiesEmbedderCustomizer embed4jPropertiesCustomizer(Embed4jProperties properties) {
      return new PropertiesEmbedderCustomizer(properties);
    }

    @Bean(destroyMethod = "close")
    Embedder embed4jEmbedder(
        Embed4jProperties properties,
        Environment environment,
        ResourceLoader resourceLoader,
        ObjectProvider<ModelRegistry> registry,
        ObjectProvider<EmbedListener> listeners,
        ObjectProvider<Embed4jEmbedderCustomizer> customizers,
        ObjectProvider<EmbeddingCache> cache) {
      return new EmbedderFactory(
              properties,
              environment,
              registry.getIfUnique(ModelRegistry::defaults),
              resourceLoader.getClassLoader())
          .create(
              listeners.orderedStream().toList(),
              customizers.orderedStream().toList(),
              cache.getIfUnique());
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({EmbeddingModel.class, SpringAiEmbeddingModel.class})
  @ConditionalOnProperty(
      name = "spring.ai.model.embedding",
      havingValue = SPRING_AI_MODEL,
      matchIfMissing = true)
  static class SpringAiConfiguration {

    @Bean
    @ConditionalOnMissingBean(EmbeddingModel.class)
    SpringAiEmbeddingModel embed4jEmbeddingModel(
        Embedder embedder,
        ObjectProvider<ObservationRegistry> observationRegistry,
        ObjectProvider<EmbeddingModelObservationConvention> observationConvention) {
      SpringAiEmbeddingModel.Builder builder =
          SpringAiEmbeddingModel.builder(embedder)
              .observationRegistry(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP));
      observationConvention.ifUnique(builder::observationConvention);
      return builder.build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({
    dev.langchain4j.model.embedding.EmbeddingModel.class,
    LangChain4jEmbeddingModel.class
  })
  static class LangChain4jConfiguration {

    @Bean
    @ConditionalOnMissingBean(dev.langchain4j.model.embedding.EmbeddingModel.class)
    LangChain4jEmbeddingModel embed4jLangChain4jEmbeddingModel(
        Embedder embedder, ObjectProvider<EmbeddingModelListener> listeners) {
      return LangChain4jEmbeddingModel.builder(embedder)
          .listeners(listeners.orderedStream().toList())
          .build();
    }
  }
}
