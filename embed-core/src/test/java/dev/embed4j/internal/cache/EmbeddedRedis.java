package dev.embed4j.internal.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/** A real redis-server on a free loopback port, from the binary inside embedded-redis's jar. */
final class EmbeddedRedis implements AutoCloseable {
  final int port;
  private final RedisServer server;

  EmbeddedRedis(String password) {
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      server =
          RedisServer.newRedisServer()
              .port(port)
              .bind("127.0.0.1")
              .setting("save \"\"")
              .setting("appendonly no")
              .settingIf(password != null, "requirepass " + password)
              .build();
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String uri(String password, int database) {
    return "redis://"
        + (password == null ? "" : ":" + password + "@")
        + "127.0.0.1:"
        + port
        + "/"
        + database;
  }

  @Override
  public void close() throws IOException {
    server.stop();
  }
}
