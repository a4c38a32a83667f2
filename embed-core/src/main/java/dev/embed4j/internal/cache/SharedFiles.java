package dev.embed4j.internal.cache;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** Resources opened once per file in this JVM and closed when their last user releases them. */
final class SharedFiles<T extends AutoCloseable> {
  private final Map<Path, T> open = new HashMap<>();
  private final Map<Path, Integer> users = new HashMap<>();

  synchronized T acquire(Path file, Function<Path, T> opener) {
    T resource = open.get(file);
    if (resource == null) {
      resource = opener.apply(file); // throws before anything is recorded
      open.put(file, resource);
    }
    users.merge(file, 1, Integer::sum);
    return resource;
  }

  synchronized void release(Path file) {
    if (users.merge(file, -1, Integer::sum) == 0) {
      users.remove(file);
      try {
        open.remove(file).close();
      } catch (Exception e) {
        throw new IllegalStateException("Cannot close " + file, e);
      }
    }
  }

  synchronized int users(Path file) {
    return users.getOrDefault(file, 0);
  }
}
