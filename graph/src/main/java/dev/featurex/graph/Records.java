package dev.featurex.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * A compact text form for lists of string records, used to put graphs and module trees into
 * generated code as string constants instead of thousands of statements: records are separated by
 * {@code '\n'}, fields by {@code '\t'}, and {@code '\\'}, tab and newline inside a field are
 * escaped.
 *
 * <p>A class-file string constant holds at most 65,535 bytes, so {@link #chunks} cuts the text into
 * pieces that generated code passes to {@link #decode(String...)}, which joins them again.
 */
public final class Records {

  /** The most bytes (modified UTF-8) of one chunk, below the class file's 65,535. */
  public static final int CHUNK_BYTES = 60_000;

  private Records() {}

  /** The text of {@code records}: each one's fields escaped and joined. */
  public static String encode(List<List<String>> records) {
    StringBuilder text = new StringBuilder();
    for (List<String> record : records) {
      for (int f = 0; f < record.size(); f++) {
        if (f > 0) {
          text.append('\t');
        }
        escape(record.get(f), text);
      }
      text.append('\n');
    }
    return text.toString();
  }

  /**
   * The records of {@code chunks} joined, as {@link #encode} wrote them.
   *
   * @throws IllegalArgumentException on a malformed escape
   */
  public static List<List<String>> decode(String... chunks) {
    String text = String.join("", chunks);
    List<List<String>> records = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        if (++i == text.length()) {
          throw new IllegalArgumentException("a record ends inside an escape");
        }
        field.append(unescape(text.charAt(i)));
      } else if (c == '\t') {
        fields.add(field.toString());
        field.setLength(0);
      } else if (c == '\n') {
        fields.add(field.toString());
        field.setLength(0);
        records.add(List.copyOf(fields));
        fields.clear();
      } else {
        field.append(c);
      }
    }
    if (field.length() > 0 || !fields.isEmpty()) {
      throw new IllegalArgumentException("the last record does not end with a newline");
    }
    return records;
  }

  /**
   * {@code text} cut into pieces of at most {@link #CHUNK_BYTES} bytes of modified UTF-8 each (the
   * class file's encoding of string constants), never inside a surrogate pair.
   */
  public static List<String> chunks(String text) {
    List<String> chunks = new ArrayList<>();
    int start = 0;
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int size = c != 0 && c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
      boolean pairStart = Character.isHighSurrogate(c);
      if (bytes + size + (pairStart ? 3 : 0) > CHUNK_BYTES) {
        chunks.add(text.substring(start, i));
        start = i;
        bytes = 0;
      }
      bytes += size;
    }
    if (start < text.length() || chunks.isEmpty()) {
      chunks.add(text.substring(start));
    }
    return chunks;
  }

  private static void escape(String field, StringBuilder into) {
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      switch (c) {
        case '\\' -> into.append("\\\\");
        case '\t' -> into.append("\\t");
        case '\n' -> into.append("\\n");
        default -> into.append(c);
      }
    }
  }

  private static char unescape(char c) {
    return switch (c) {
      case '\\' -> '\\';
      case 't' -> '\t';
      case 'n' -> '\n';
      default -> throw new IllegalArgumentException("unknown escape \\" + c);
    };
  }
}
