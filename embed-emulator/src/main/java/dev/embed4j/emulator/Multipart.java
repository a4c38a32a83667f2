package dev.embed4j.emulator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The parts of a {@code multipart/form-data} body (RFC 7578), by field name. */
final class Multipart {

  record Part(String name, String filename, byte[] bytes) {}

  private Multipart() {}

  /** The parts, or null if the content type is not multipart with a boundary. */
  static Map<String, Part> parse(String contentType, byte[] body) {
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      return null;
    }
    String boundary = null;
    for (String param : contentType.split(";")) {
      String t = param.trim();
      if (t.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
        boundary = t.substring(9).replace("\"", "");
      }
    }
    if (boundary == null) {
      return null;
    }
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    Map<String, Part> parts = new LinkedHashMap<>();
    int at = indexOf(body, delimiter, 0);
    while (at >= 0) {
      int start = at + delimiter.length;
      if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
        break;
      }
      start += 2; // CRLF after the delimiter
      int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
      int next = indexOf(body, delimiter, start);
      if (headersEnd < 0 || next < 0) {
        return null;
      }
      String headers = new String(body, start, headersEnd - start, StandardCharsets.UTF_8);
      byte[] content = Arrays.copyOfRange(body, headersEnd + 4, Math.max(headersEnd + 4, next - 2));
      String name = param(headers, "name");
      if (name != null) {
        parts.put(name, new Part(name, param(headers, "filename"), content));
      }
      at = next;
    }
    return parts;
  }

  private static String param(String headers, String name) {
    for (String line : headers.split("\r\n")) {
      if (!line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
        continue;
      }
      for (String p : line.split(";")) {
        String t = p.trim();
        if (t.startsWith(name + "=")) {
          return t.substring(name.length() + 1).replace("\"", "");
        }
      }
    }
    return null;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
