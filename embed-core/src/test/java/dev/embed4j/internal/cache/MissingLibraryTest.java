package dev.embed4j.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each factory without its optional library: a message naming what to add, no linkage error. */
class MissingLibraryTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
    "caffeine, inMemory, com.github.ben-manes.caffeine:caffeine:3.2.4",
    "h2-mvstore, onDisk, com.h2database:h2-mvstore:2.4.240",
    "lettuce-core, redis, io.lettuce:lettuce-core:7.5.2.RELEASE"
  })
  void aFactoryWithoutItsLibrary_namesTheDependencyToAdd(
      String jar, String factory, String coordinates) throws Exception {
    try (URLClassLoader without = classPathWithout(jar)) {
      Class<?> stores = Class.forName(Stores.class.getName(), true, without);
      Object[] args =
          switch (factory) {
            case "inMemory" -> new Object[] {1024L, null};
            case "onDisk" -> new Object[] {dir, null};
            default -> new Object[] {"redis://127.0.0.1:1", "p:", null};
          };
      Method m =
          switch (factory) {
            case "inMemory" -> stores.getMethod(factory, long.class, Duration.class);
            case "onDisk" -> stores.getMethod(factory, Path.class, Duration.class);
            default -> stores.getMethod(factory, String.class, String.class, Duration.class);
          };
      Throwable thrown = null;
      try {
        m.invoke(null, args);
      } catch (InvocationTargetException e) {
        thrown = e.getCause();
      }
      assertThat(thrown)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "EmbeddingCache."
                  + factory
                  + " needs "
                  + coordinates.substring(0, coordinates.lastIndexOf(':'))
                  + " on the classpath: add the dependency "
                  + coordinates
                  + " (or later) to your build");
    }
  }

  private static URLClassLoader classPathWithout(String excluded) throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!new File(entry).getName().startsWith(excluded + "-")) {
        urls.add(new File(entry).toURI().toURL());
      }
    }
    return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
  }
}
