package dev.featurex.runtime.weights;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader and string writer for the safetensors header: objects (in their order),
 * arrays, strings, integers, {@code true}, {@code false}, {@code null}; nesting at most {@link
 * #MAX_DEPTH} deep, so no header can exhaust the stack. Numbers with a fraction or exponent are
 * read as {@link Double}. A small class of our own rather than Jackson: the header is a few
 * kilobytes of known shape, and a JSON library on the runtime's class path would clash with the one
 * that Spark and most applications already bring.
 */
final class Json {

  /** The deepest nesting a header may have (safetensors needs 3). */
  static final int MAX_DEPTH = 32;

  /** A malformed document; the message says where. */
  static final class JsonException extends Exception {
    private static final long serialVersionUID = 1L;

    JsonException(String message) {
      super(message);
    }
  }

  private final String text;
  private int at;

  private Json(String text) {
    this.text = text;
  }

  /** Parses {@code text}, which must hold exactly one value. */
  static Object parse(String text) throws JsonException {
    Json json = new Json(text);
    Object value = json.value(0);
    json.space();
    if (json.at != text.length()) {
      throw json.error("text after the value");
    }
    return value;
  }

  private Object value(int depth) throws JsonException {
    if (depth > MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH);
    }
    space();
    if (at >= text.length()) {
      throw error("the text ends where a value should be");
    }
    char c = text.charAt(at);
    return switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> word("true", Boolean.TRUE);
      case 'f' -> word("false", Boolean.FALSE);
      case 'n' -> word("null", null);
      default -> number();
    };
  }

  private Map<String, Object> object(int depth) throws JsonException {
    Map<String, Object> map = new LinkedHashMap<>();
    at++;
    space();
    if (peek() == '}') {
      at++;
      return map;
    }
    while (true) {
      space();
      if (peek() != '"') {
        throw error("an object key must be a string");
      }
      String key = string();
      space();
      expect(':');
      if (map.put(key, value(depth + 1)) != null || map.size() > 1_000_000) {
        throw error("the key \"" + key + "\" appears twice");
      }
      space();
      if (peek() == ',') {
        at++;
      } else {
        expect('}');
        return map;
      }
    }
  }

  private List<Object> array(int depth) throws JsonException {
    List<Object> list = new ArrayList<>();
    at++;
    space();
    if (peek() == ']') {
      at++;
      return list;
    }
    while (true) {
      list.add(value(depth + 1));
      space();
      if (peek() == ',') {
        at++;
      } else {
        expect(']');
        return list;
      }
    }
  }

  private String string() throws JsonException {
    StringBuilder out = new StringBuilder();
    at++;
    while (true) {
      if (at >= text.length()) {
        throw error("a string is not closed");
      }
      char c = text.charAt(at++);
      if (c == '"') {
        return out.toString();
      } else if (c < 0x20) {
        throw error("a control character inside a string");
      } else if (c != '\\') {
        out.append(c);
      } else {
        out.append(escape());
      }
    }
  }

  private char escape() throws JsonException {
    char e = peek();
    at++;
    switch (e) {
      case '"', '\\', '/' -> {
        return e;
      }
      case 'b' -> {
        return '\b';
      }
      case 'f' -> {
        return '\f';
      }
      case 'n' -> {
        return '\n';
      }
      case 'r' -> {
        return '\r';
      }
      case 't' -> {
        return '\t';
      }
      case 'u' -> {
        if (at + 4 > text.length()) {
          throw error("a \\u escape is cut short");
        }
        try {
          char c = (char) Integer.parseInt(text.substring(at, at + 4), 16);
          at += 4;
          return c;
        } catch (NumberFormatException ex) {
          throw error("a \\u escape is not hexadecimal");
        }
      }
      default -> throw error("an unknown escape \\" + e);
    }
  }

  private Object number() throws JsonException {
    int start = at;
    while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
    String digits = text.substring(start, at);
    if (digits.isEmpty() || digits.length() > 40) {
      throw error(digits.isEmpty() ? "an unexpected character" : "a number of over 40 digits");
    }
    try {
      if (isInteger(digits)) {
        // At most 18 digits always fit a long; a safetensors header is thousands of these.
        if (digits.length() <= 18) {
          return Long.parseLong(digits);
        }
        BigInteger n = new BigInteger(digits);
        return n.bitLength() < 64 ? (Object) n.longValue() : n;
      }
      return Double.parseDouble(digits);
    } catch (NumberFormatException e) {
      throw error("a malformed number " + digits);
    }
  }

  /** Whether {@code digits} is a JSON integer: {@code -?(0|[1-9][0-9]*)}. */
  private static boolean isInteger(String digits) {
    int i = digits.startsWith("-") ? 1 : 0;
    if (i == digits.length() || digits.charAt(i) == '0' && digits.length() > i + 1) {
      return false;
    }
    for (; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private Object word(String word, Object value) throws JsonException {
    if (!text.startsWith(word, at)) {
      throw error("an unexpected character");
    }
    at += word.length();
    return value;
  }

  private void space() {
    while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
  }

  private char peek() throws JsonException {
    if (at >= text.length()) {
      throw error("the text ends early");
    }
    return text.charAt(at);
  }

  private void expect(char c) throws JsonException {
    if (peek() != c) {
      throw error("'" + c + "' expected");
    }
    at++;
  }

  private JsonException error(String problem) {
    return new JsonException(problem + " at character " + at);
  }

  /** {@code s} as a JSON string literal, quotes included. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
