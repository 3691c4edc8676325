package dev.featurex.processor.generate;

import static com.google.common.truth.Truth.assertThat;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreeScanner;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.tools.JavaCompiler;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/** The string literals of generated code read back, by javac's own parser, as the text written. */
class NamesTest {

  @Test
  void literalsReadBackAsTheirText() throws IOException {
    List<String> texts =
        new ArrayList<>(
            List.of(
                "",
                "plain",
                "two\nlines\n",
                "tab\tand \"quotes\" and a \\ backslash",
                "\\u0041 is not a unicode escape here, nor \\\\u0041",
                "\0\1\u0007\u001f\u007f\u0085\u009f",
                "\r\n",
                "non-ASCII: é ü 漢 \ud83d\ude00 \u2028",
                "*/ and /* and // stay in the literal"));
    Random random = new Random(7);
    for (int round = 0; round < 200; round++) {
      StringBuilder text = new StringBuilder();
      for (int i = random.nextInt(40); i > 0; i--) {
        text.append(
            random.nextInt(4) == 0
                ? "\\u\"\n\t\r".charAt(random.nextInt(6))
                : (char) random.nextInt(0x3000));
      }
      texts.add(text.toString());
    }
    StringBuilder fields = new StringBuilder();
    int n = 0;
    for (String text : texts) {
      String literal = Names.literal(text);
      assertThat(literal).doesNotContain("\n");
      assertThat(literal).doesNotContain("\r");
      fields.append("String s").append(n++).append(" = ").append(literal).append(";\n");
    }
    assertThat(parse(fields.toString())).containsExactlyElementsIn(texts).inOrder();
  }

  @Test
  void chunksAreOneLiteralEach() {
    String code = Names.strings(List.of("a\nb\n", "c\n")).toString();
    assertThat(code).isEqualTo("new String[] {\"a\\nb\\n\",\n\"c\\n\"}");
  }

  /** The values javac reads from the string fields {@code fields} declare. */
  private static List<Object> parse(String fields) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String source = "class T {\n" + fields + "}";
    SimpleJavaFileObject file =
        new SimpleJavaFileObject(URI.create("string:///T.java"), SimpleJavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source;
          }
        };
    JavacTask task = (JavacTask) javac.getTask(null, null, null, null, null, List.of(file));
    List<Object> values = new ArrayList<>();
    for (CompilationUnitTree unit : task.parse()) {
      unit.accept(
          new TreeScanner<Void, Void>() {
            @Override
            public Void visitVariable(VariableTree variable, Void unused) {
              values.add(((LiteralTree) variable.getInitializer()).getValue());
              return null;
            }
          },
          null);
    }
    return values;
  }
}
