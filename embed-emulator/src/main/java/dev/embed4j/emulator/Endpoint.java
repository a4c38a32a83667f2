package dev.embed4j.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One provider's API. The request is read whole, then: a scripted reply if one is queued; else
 * {@link #process} validates it and returns a reply (or throws a {@link Reply.Rejection}). The
 * reply is sent after the configured latency. Counters are updated before the first byte is
 * written, so a client that has its answer sees them.
 */
abstract class Endpoint implements HttpHandler {

  /** Settings shared by both endpoints. */
  record Config(
      long latencyNanos,
      Set<String> apiKeys,
      Set<String> exhaustedKeys,
      boolean shuffleOrder,
      boolean ignoreEncodingFormat,
      double tokenDensity) {}

  private static final System.Logger LOG = System.getLogger(Endpoint.class.getName());
  private static final int WRITE_SLICE = 64 * 1024;

  final Config config;
  final Stats stats;
  final FaultPlan faults;
  final RateLimiter limiter;

  Endpoint(Config config, Stats stats, FaultPlan faults, RateLimiter limiter) {
    this.config = config;
    this.stats = stats;
    this.faults = faults;
    this.limiter = limiter;
  }

  /** Validates and answers a request whose body has been read. */
  abstract Reply process(HttpExchange ex, byte[] body);

  /** Adds the provider's usual response headers. */
  abstract void addHeaders(Headers h, long elapsedMs);

  @Override
  public void handle(HttpExchange ex) throws IOException {
    long start = System.nanoTime();
    stats.begin();
    boolean cut = false;
    try {
      byte[] body = ex.getRequestBody().readAllBytes();
      Reply reply = faults.nextScripted();
      if (reply != null) {
        stats.fault(Faults.Kind.SCRIPTED);
      } else {
        try {
          reply = process(ex, body);
        } catch (Reply.Rejection r) {
          reply = r.reply;
        } catch (RuntimeException e) { // a bug of the emulator: say so rather than hang up
          LOG.log(
              System.Logger.Level.WARNING,
              "embed-emulator failed on " + ex.getRequestMethod() + " " + ex.getRequestURI(),
              e);
          reply = serverError(500);
        }
      }
      long delay = config.latencyNanos() + reply.delayNanos;
      if (delay > 0) {
        TimeUnit.NANOSECONDS.sleep(delay);
      }
      send(ex, reply, start);
    } catch (CutShort e) {
      cut = true;
      throw e; // HttpServer closes the connection of a handler that throws
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      // the client went away; nothing to answer
    } finally {
      stats.end();
      if (!cut) {
        ex.close();
      }
    }
  }

  private void send(HttpExchange ex, Reply r, long start) throws IOException {
    if (r.mode == Reply.Mode.RESET) {
      return; // HttpExchange.close() before any header was sent closes the connection
    }
    Headers h = ex.getResponseHeaders();
    h.set("Content-Type", "application/json");
    addHeaders(h, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    r.headers.forEach(h::set);
    stats.status(r.status);
    if (r.billModel != null) {
      stats.bill(r.billModel, r.billTokens, r.billInputs);
      stats.billImages(r.billImageTokens);
    }
    int length = r.length;
    ex.sendResponseHeaders(r.status, length == 0 ? -1 : length);
    if (length == 0) {
      return;
    }
    OutputStream os = ex.getResponseBody();
    int end = r.mode == Reply.Mode.TRUNCATED ? length / 2 : length;
    // in slices: HttpServer copies each write into a buffer of twice its size
    for (int off = 0; off < end; off += WRITE_SLICE) {
      os.write(r.body, off, Math.min(WRITE_SLICE, end - off));
    }
    if (r.mode == Reply.Mode.TRUNCATED) {
      os.flush();
      throw new CutShort();
    }
    os.close();
  }

  /** Thrown out of the handler to make HttpServer drop a connection mid-body. */
  static final class CutShort extends IOException {
    CutShort() {
      super("body cut short on purpose", null);
    }
  }

  // ---- helpers for subclasses

  /** The tokens this emulator counts, and bills, for a text: see {@link Builder#tokenDensity}. */
  int tokens(String text) {
    return EmbeddingEmulator.expectedTokens(text, config.tokenDensity());
  }

  /** {@code text} cut to at most {@code max} tokens as {@link #tokens} counts them. */
  String truncate(String text, int max, boolean fromStart) {
    if (config.tokenDensity() == 1.0) {
      return Tokenizer.truncate(text, max, fromStart);
    }
    int cl100k = (int) Math.floor(max / config.tokenDensity());
    String t = Tokenizer.truncate(text, cl100k, fromStart);
    while (cl100k > 0 && tokens(t) > max) {
      t = Tokenizer.truncate(text, --cl100k, fromStart);
    }
    return t;
  }

  /** Counts a fault and returns the reply to send for it; null when the caller must build it. */
  Reply fault(FaultPlan.Draw draw) {
    stats.fault(draw.kind());
    switch (draw.kind()) {
      case SERVER_ERROR:
        return serverError(draw.status());
      case CONNECTION_RESET:
        return Reply.reset();
      default:
        return null;
    }
  }

  abstract Reply serverError(int status);

  /** Applies a body-shaping fault (or none) to a successful reply built in {@code body}. */
  Reply success(Out body, FaultPlan.Draw draw, String model, long tokens, int inputs) {
    Faults.Kind kind = draw.kind();
    Reply r =
        new Reply(
            200,
            body.array(),
            kind == Faults.Kind.MALFORMED_JSON ? body.length() / 2 : body.length());
    if (kind == Faults.Kind.TRUNCATED_BODY) {
      r.mode = Reply.Mode.TRUNCATED;
    } else if (kind == Faults.Kind.SLOW) {
      r.delayNanos = faults.slowDelayNanos();
    } else if (kind == null) {
      r.billModel = model;
      r.billTokens = tokens;
      r.billInputs = inputs;
    }
    return r;
  }

  /** The bearer token, or null if there is none. */
  static String bearer(HttpExchange ex) {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (auth == null || auth.length() < 7 || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String key = auth.substring(7).trim();
    return key.isEmpty() ? null : key;
  }

  boolean accepted(String key) {
    return config.apiKeys().isEmpty()
        || config.apiKeys().contains(key)
        || config.exhaustedKeys().contains(key);
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.isTextual() ? v.textValue() : v.toString();
  }

  /** Positions 0..n-1 in random order (never in order when n > 1), or in order. */
  static int[] order(int n, boolean shuffle) {
    int[] o = new int[n];
    for (int i = 0; i < n; i++) {
      o[i] = i;
    }
    if (shuffle && n > 1) {
      ThreadLocalRandom rnd = ThreadLocalRandom.current();
      for (int i = n - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int t = o[i];
        o[i] = o[j];
        o[j] = t;
      }
      boolean sorted = true;
      for (int i = 0; i < n && sorted; i++) {
        sorted = o[i] == i;
      }
      if (sorted) {
        o[0] = 1;
        o[1] = 0;
      }
    }
    return o;
  }

  static String requestId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return String.format("%016x%016x", r.nextLong(), r.nextLong());
  }

  static List<String> texts(JsonNode array) {
    List<String> l = new ArrayList<>(array.size());
    for (JsonNode t : array) {
      l.add(t.isTextual() ? t.textValue() : null);
    }
    return l;
  }
}
