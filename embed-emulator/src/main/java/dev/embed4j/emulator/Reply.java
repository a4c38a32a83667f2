package dev.embed4j.emulator;

import java.util.LinkedHashMap;
import java.util.Map;

/** A prepared reply: what to send, how to send it, and what to count for it. */
final class Reply {

  enum Mode {
    NORMAL,
    RESET,
    TRUNCATED
  }

  final int status;
  final byte[] body;
  final int length;
  final Map<String, String> headers = new LinkedHashMap<>();
  Mode mode = Mode.NORMAL;
  long delayNanos;

  /** Non-null only for a well-formed 200 reply that bills. */
  String billModel;

  long billTokens;
  int billInputs;
  long billImageTokens;

  Reply(int status, byte[] body) {
    this(status, body, body.length);
  }

  /** A reply whose body is the first {@code length} bytes of {@code body}. */
  Reply(int status, byte[] body, int length) {
    this.status = status;
    this.body = body;
    this.length = length;
  }

  Reply header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  static Reply reset() {
    Reply r = new Reply(0, new byte[0]);
    r.mode = Mode.RESET;
    return r;
  }

  /** A rejected request: unwinds request processing carrying its reply. */
  static final class Rejection extends RuntimeException {
    final transient Reply reply;

    Rejection(Reply reply) {
      super(null, null, false, false);
      this.reply = reply;
    }
  }
}
