package dev.embed4j.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import com.fasterxml.jackson.core.sym.ByteQuadsCanonicalizer;

/**
 * Jackson's UTF-8 parser over a reply read whole into an array, which can also decode the current
 * string as base64 floats from the bytes where they lie and step over it: a 1,536-float embedding
 * is 8 KB of base64 that Jackson would otherwise scan once more only to find its closing quote.
 * Everything else is Jackson's own parsing.
 */
final class ReplyParser extends UTF8StreamJsonParser {
  /** Builds a {@link ReplyParser} for every byte array; other inputs as Jackson does. */
  static final class Factory extends JsonFactory {
    private static final long serialVersionUID = 1L;

    Factory() {
      super(new JsonFactoryBuilder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER));
    }

    @Override
    protected JsonParser _createParser(byte[] data, int offset, int len, IOContext context) {
      int start = offset;
      if (len >= 3 && (data[offset] & 0xff) == 0xef && (data[offset + 1] & 0xff) == 0xbb) {
        start += (data[offset + 2] & 0xff) == 0xbf ? 3 : 0; // a UTF-8 byte-order mark
      }
      return new ReplyParser(
          context,
          _parserFeatures,
          _objectCodec,
          _byteSymbolCanonicalizer.makeChildOrPlaceholder(_factoryFeatures),
          data,
          start,
          offset + len);
    }
  }

  private ReplyParser(
      IOContext context,
      int features,
      ObjectCodec codec,
      ByteQuadsCanonicalizer symbols,
      byte[] data,
      int start,
      int end) {
    super(context, features, null, codec, symbols, data, start, end, false);
  }

  /**
   * The current string token decoded as exactly {@code dimensions} little-endian float32s, then
   * stepped over; null, with the token untouched for the general way, if it is not exactly that.
   */
  float[] base64Floats(int dimensions) {
    if (_currToken != JsonToken.VALUE_STRING || !_tokenIncomplete || dimensions <= 0) {
      return null;
    }
    float[] out = new float[dimensions];
    int quote = FloatDecoding.decode(_inputBuffer, _inputPtr, _inputEnd, out);
    if (quote < 0) {
      return null;
    }
    _inputPtr = quote + 1;
    _tokenIncomplete = false;
    return out;
  }
}
