package dev.embed4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code showProgress(true)} with only embed-core's declared dependencies: the optional progressbar
 * library absent, a console present. Progress must fall back to the log, not throw {@code
 * NoClassDefFoundError} before the run starts.
 */
class ProgressWithoutLibraryTest {

  @Test
  void withTheLibraryAbsent_aConsoleStillMeansLogLines() throws Exception {
    try (URLClassLoader withoutBar = classPathWithout("progressbar")) {
      Class<?> reporter = Class.forName(ProgressReporter.class.getName(), true, withoutBar);
      assertThat(consoleAvailable(reporter, true)).isFalse();
      assertThat(reporter.getClassLoader()).isSameAs(withoutBar);
    }
  }

  @Test
  void withTheLibraryPresent_aConsoleMeansTheBar() throws Exception {
    assertThat(consoleAvailable(ProgressReporter.class, true)).isTrue();
    assertThat(consoleAvailable(ProgressReporter.class, false)).isFalse();
  }

  @Test
  void withTheLibraryAbsent_anEmbedderWithProgressRunsAndLogs() throws Exception {
    try (URLClassLoader withoutBar = classPathWithout("progressbar")) {
      Class<?> check = Class.forName(ProgressRun.class.getName(), true, withoutBar);
      Method run = check.getDeclaredMethod("run");
      run.setAccessible(true);
      assertThat(run.invoke(null)).isEqualTo("Embedded 3 texts in 1 batch");
    }
  }

  private static boolean consoleAvailable(Class<?> reporter, boolean console) throws Exception {
    Method m = reporter.getDeclaredMethod("consoleAvailable", boolean.class);
    m.setAccessible(true);
    return (boolean) m.invoke(null, console);
  }

  /** The test class path, minus the entries whose path contains {@code excluded}. */
  private static URLClassLoader classPathWithout(String excluded) throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.contains(excluded)) {
        urls.add(new File(entry).toURI().toURL());
      }
    }
    return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
  }
}
