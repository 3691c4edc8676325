package dev.featurex.processor.trace;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * What tracing needs from javac, for one processing round: trees of the sources in the compilation,
 * name and member resolution, types. Trees are looked up once and cached: javac finds them by
 * scanning files.
 */
public final class TraceEnvironment {

  private final Trees trees;
  private final Symbols symbols;
  private final TypeTrees typeTrees;
  private final TypeElement module;
  private final TypeElement tensor;
  private final Map<Element, CompilationUnitTree> units = new HashMap<>();
  private final Map<ExecutableElement, Optional<MethodTree>> methods = new HashMap<>();
  private final Map<TypeElement, Optional<ClassTree>> classes = new HashMap<>();

  /** The environment of {@code processing}'s current round. */
  public TraceEnvironment(ProcessingEnvironment processing) {
    this.trees = Trees.instance(processing);
    this.symbols = new Symbols(processing.getElementUtils(), processing.getTypeUtils());
    this.typeTrees = new TypeTrees(symbols);
    this.module = symbols.type("org.bytedeco.pytorch.Module");
    this.tensor = symbols.type("org.bytedeco.pytorch.Tensor");
  }

  /** Whether the presets are on the classpath ({@code org.bytedeco.pytorch.Module} resolves). */
  public boolean hasPresets() {
    return module != null && tensor != null;
  }

  /** Whether two classes are the same. */
  public boolean isSameType(TypeElement a, TypeElement b) {
    return symbols.types.isSameType(
        symbols.types.erasure(a.asType()), symbols.types.erasure(b.asType()));
  }

  /** Whether {@code type} is a subclass of the presets' {@code Module}. */
  public boolean isModule(TypeElement type) {
    return module != null && symbols.isSubtype(type.asType(), module);
  }

  Symbols symbols() {
    return symbols;
  }

  TypeTrees typeTrees() {
    return typeTrees;
  }

  /** An error on the declaration of {@code element} (or on nothing, without source). */
  public TraceException error(
      javax.lang.model.element.Element element,
      dev.featurex.processor.diagnostics.Message message,
      Object... args) {
    return new TraceException(message.format(args), trees.getTree(element), unitOf(element));
  }

  /** The presets' {@code Module}. */
  TypeElement moduleType() {
    return module;
  }

  /** The presets' {@code Tensor}. */
  TypeElement tensorType() {
    return tensor;
  }

  /** Whether {@code type}'s erasure is the presets' {@code Tensor}. */
  public boolean isTensor(javax.lang.model.type.TypeMirror type) {
    return type != null
        && tensor != null
        && symbols.types.isSameType(symbols.types.erasure(type), tensor.asType());
  }

  /** The file of {@code element}, or null when its source is not in the compilation. */
  CompilationUnitTree unitOf(Element element) {
    Element top = element;
    while (top.getEnclosingElement() != null
        && top.getEnclosingElement().getKind() != ElementKind.PACKAGE) {
      top = top.getEnclosingElement();
    }
    return units.computeIfAbsent(
        top,
        t -> {
          TreePath path = trees.getPath(t);
          return path == null ? null : path.getCompilationUnit();
        });
  }

  /** The tree of a method or constructor with source, or null. */
  MethodTree methodTree(ExecutableElement method) {
    return methods.computeIfAbsent(method, m -> Optional.ofNullable(trees.getTree(m))).orElse(null);
  }

  /** Whether {@code method} has a body the tracer can run. */
  public boolean hasBody(ExecutableElement method) {
    MethodTree tree = methodTree(method);
    return tree != null && tree.getBody() != null;
  }

  /** The tree of a class with source, or null. */
  ClassTree classTree(TypeElement type) {
    return classes.computeIfAbsent(type, t -> Optional.ofNullable(trees.getTree(t))).orElse(null);
  }

  /** Whether {@code type}'s source is in the compilation. */
  public boolean hasSource(TypeElement type) {
    return classTree(type) != null;
  }
}
