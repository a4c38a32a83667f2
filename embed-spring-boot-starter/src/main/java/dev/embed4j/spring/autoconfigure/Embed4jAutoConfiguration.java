package dev.embed4j.spring.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of Embed4j: an {@code Embedder} configured by {@link Embed4jProperties
 * embed4j.*}, the Spring AI and LangChain4j embedding models on top of it, cost events and
 * Micrometer meters.
 *
 * <p><b>Beans</b>, each backing off when the application defines its own of that type:
 *
 * <ul>
 *   <li>{@code dev.embed4j.Embedder} (closed with the context), with every {@code EmbedListener}
 *       bean and every {@link Embed4jEmbedderCustomizer} applied in order: the {@code embed4j.*}
 *       properties are applied by one at order 0, so those ordered after it (as those without an
 *       order are) win;
 *   <li>{@code dev.embed4j.spi.EmbeddingCache} of {@code embed4j.cache.type} ({@code memory},
 *       {@code disk} or {@code redis}: the latter through Spring Boot's {@code spring.data.redis.*}
 *       connection), closed with the context, and given to the embedder; an application's own
 *       {@code EmbeddingCache} bean is given to it instead;
 *   <li>a Spring AI {@code EmbeddingModel} ({@code SpringAiEmbeddingModel}) when {@code
 *       embed-spring-ai} is on the class path, observed through the {@code ObservationRegistry} and
 *       with any {@code EmbeddingModelObservationConvention} bean;
 *   <li>a LangChain4j {@code EmbeddingModel} ({@code LangChain4jEmbeddingModel}) when {@code
 *       embed-langchain4j} is on the class path, with every LangChain4j {@code
 *       EmbeddingModelListener} bean;
 *   <li>with Spring Boot Actuator, the {@link Embed4jEndpoint embed4j} endpoint and the {@code
 *       EmbedListener} that counts for it ({@link Embed4jEndpointAutoConfiguration});
 *   <li>an {@code EmbedListener} that publishes {@link Embed4jBatchEvent}s and {@link
 *       Embed4jRunEvent}s, and, with a {@code MeterRegistry} (for instance from {@code
 *       spring-boot-starter-micrometer-metrics} or the actuator), one that counts {@code
 *       embed4j.tokens}, {@code embed4j.cost}, {@code embed4j.batches} (tag {@code outcome} success
 *       or failure), {@code embed4j.retries} and {@code embed4j.rate_limited}, each tagged with the
 *       {@code model}.
 * </ul>
 *
 * <p><b>Keys and the offline fallback.</b> Core reads the keys and base URLs through Spring's
 * {@code Environment} (see {@link Embed4jProperties}; Spring AI's and LangChain4j's OpenAI
 * properties are read when Embed4j's are absent): a configured model without its provider's key
 * fails the start-up with core's message naming the property and the environment variable; with no
 * key and no model configured, the offline all-MiniLM-L6-v2 model is used if it is on the class
 * path (and the start-up log says so), else the start-up fails saying where to set a key.
 *
 * <p><b>Next to Spring AI's OpenAI starter.</b> Both would register a Spring AI {@code
 * EmbeddingModel}. Spring AI's selector {@code spring.ai.model.embedding} chooses: set it to {@code
 * embed4j} and only Embed4j's is registered (Spring AI's OpenAI embedding auto-configuration backs
 * off and needs no key); set it to {@code openai} and Embed4j's Spring AI model backs off (its
 * {@code Embedder} and LangChain4j model remain). Without the selector both auto-configurations are
 * active: Spring AI's OpenAI one then needs {@code spring.ai.openai.api-key} or fails the start-up,
 * and when it has one its {@code OpenAiEmbeddingModel} is registered first and Embed4j's Spring AI
 * model backs off.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.ai.model.openai.autoconfigure.OpenAiEmbeddingAutoConfiguration",
      "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration"
    })
@EnableConfigurationProperties(Embed4jProperties.class)
@Import({
  Embed4jConfigurations.EventsConfiguration.class,
  Embed4jConfigurations.MetricsConfiguration.class,
  CacheConfigurations.CacheConfiguration.class,
  Embed4jConfigurations.EmbedderConfiguration.class,
  Embed4jConfigurations.SpringAiConfiguration.class,
  Embed4jConfigurations.LangChain4jConfiguration.class
})
public final class Embed4jAutoConfiguration {}
