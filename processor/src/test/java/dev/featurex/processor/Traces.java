package dev.featurex.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;

/**
 * Compiles models with the processor and reads what it traced from its graph dump ({@code
 * -Afeaturex.dump=true}), not from generated source.
 */
final class Traces {

  /** One line of the dump: a node of one configuration's graph in one mode. */
  record Node(String factory, String mode, String name, String op, String target, String inputs) {}

  private Traces() {}

  /** javac with the processor and the graph dump on. */
  static Compiler javac() {
    return Compiler.javac()
        .withProcessors(new FeaturexProcessor())
        .withOptions("-Afeaturex.dump=true");
  }

  static Compilation compile(JavaFileObject... sources) {
    return javac().compile(sources);
  }

  /** {@link #compile} with every lint warning but the processing ones on. */
  static Compilation compileLinted(JavaFileObject... sources) {
    return javac().withOptions("-Afeaturex.dump=true", "-Xlint:all,-processing").compile(sources);
  }

  /** The text of the source the processor generated as {@code name} (a qualified class name). */
  static String generatedSource(Compilation compilation, String name) {
    try {
      return compilation.generatedSourceFile(name).orElseThrow().getCharContent(true).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every node the processor traced for {@code model} (a binary name). */
  static List<Node> nodes(Compilation compilation, String model) {
    JavaFileObject dump =
        compilation
            .generatedFile(
                StandardLocation.CLASS_OUTPUT, "", "META-INF/featurex/" + model + ".graphs")
            .orElse(null);
    assertWithMessage("graph dump of %s", model).that(dump).isNotNull();
    List<Node> nodes = new ArrayList<>();
    try {
      for (String line : dump.getCharContent(false).toString().split("\n")) {
        String[] f = line.split("\t", -1);
        nodes.add(new Node(f[0], f[1], f[2], f[3], f[4], f[5]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return nodes;
  }

  /** The node names of {@code model}'s first configuration in {@code mode} ("train", "eval"). */
  static List<String> names(Compilation compilation, String model, String mode) {
    List<Node> nodes = nodes(compilation, model);
    String first = nodes.get(0).factory();
    return names(compilation, model, first, mode);
  }

  /** The node names of the configuration {@code factory} ({@code "wide()"}) in {@code mode}. */
  static List<String> names(Compilation compilation, String model, String factory, String mode) {
    return nodes(compilation, model).stream()
        .filter(n -> n.factory().equals(factory) && n.mode().equals(mode))
        .map(Node::name)
        .toList();
  }
}
