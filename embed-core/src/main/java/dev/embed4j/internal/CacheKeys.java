package dev.embed4j.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The one place cache keys are made: {@code v1.} followed by the unpadded base64url SHA-256 of the
 * provider, the model's name, the dimensions, the input type, whether the server may truncate, and
 * the text as sent (46 printable ASCII characters). Never the API key or the base URL: a vector
 * paid for through a proxy is the same vector. Bump the version when the material changes, so that
 * old entries are simply never found.
 */
final class CacheKeys {
  private static final String VERSION = "v1.";
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
          });
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final byte[] prefix;

  CacheKeys(Settings settings) {
    String material =
        settings.model.provider()
            + '\n'
            + settings.model.name()
            + '\n'
            + settings.dims
            + '\n'
            + (settings.type == null ? "-" : settings.type.name())
            + '\n'
            + (settings.truncate ? "truncate" : "whole")
            + '\n';
    this.prefix = material.getBytes(StandardCharsets.UTF_8);
  }

  /** The key of {@code sendText} under this run's provider, model and options. */
  String key(String sendText) {
    MessageDigest sha = SHA256.get();
    sha.reset();
    sha.update(prefix);
    sha.update(sendText.getBytes(StandardCharsets.UTF_8));
    return VERSION + BASE64URL.encodeToString(sha.digest());
  }
}
