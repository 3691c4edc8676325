package dev.featurex.processor.trace;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.Trees;
import dev.featurex.processor.Message;
import dev.featurex.processor.structure.ModuleTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;

/**
 * Traces one configuration of a model: evaluates the constructor or factory into a module tree
 * (structure), then runs {@code forward} on symbolic inputs in train and in eval mode (trace).
 */
public final class ModelTracer {

  /** A traced configuration. */
  public record Result(
      String factory,
      ModuleTree modules,
      TracedGraph train,
      TracedGraph eval,
      Set<String> leavesWithoutSource) {}

  private final Trees trees;
  private final Symbols symbols;

  /** A tracer for one processing round's compilation. */
  public ModelTracer(ProcessingEnvironment env) {
    this.trees = Trees.instance(env);
    this.symbols = new Symbols(env.getElementUtils(), env.getTypeUtils());
  }

  /**
   * Traces {@code model} as built by {@code factory} (a static method without parameters, or the
   * no-argument constructor).
   *
   * @throws TraceException on the first construct the tracer cannot follow
   */
  public Result trace(TypeElement model, ExecutableElement factory, Set<String> leafModules) {
    LeafModuleAwareTracer leaves = new LeafModuleAwareTracer(trees, leafModules);
    Invoker invoker = new Invoker(trees, symbols, leaves);
    CompilationUnitTree unit = invoker.unitOf(model);
    Frame top = new Frame(null, model, unit, "");
    MethodTree at = trees.getTree(factory);
    Value built =
        factory.getKind() == javax.lang.model.element.ElementKind.CONSTRUCTOR
            ? invoker.instantiate(model, List.of(), at, top)
            : invoker.inline(null, factory, List.of(), "", at, top);
    if (!(built instanceof Value.ObjectValue root) || root.module() == null) {
      throw new TraceException(
          Message.UNKNOWN_VALUE.format(
              "the model built by " + describe(factory), "it returned " + Describe.of(built)),
          at,
          unit);
    }
    ModuleTree modules = ModuleTree.of(root.module());
    invoker.moduleTree = modules;
    invoker.root = root;
    ExecutableElement forward = forwardOf(root.type, invoker);
    if (forward == null) {
      throw new TraceException(
          Message.NO_FORWARD.format(root.type.getSimpleName()),
          trees.getTree(root.type),
          invoker.unitOf(root.type));
    }
    TracedGraph train = traceForward(invoker, root, forward, true);
    TracedGraph eval = traceForward(invoker, root, forward, false);
    return new Result(describe(factory), modules, train, eval, leaves.withoutSource());
  }

  private ExecutableElement forwardOf(TypeElement type, Invoker invoker) {
    for (ExecutableElement m : symbols.methods(type, "forward")) {
      if (invoker.hasBody(m) && !Symbols.isStatic(m)) {
        return m;
      }
    }
    return null;
  }

  private TracedGraph traceForward(
      Invoker invoker, Value.ObjectValue root, ExecutableElement forward, boolean training) {
    NodePathTracer tracer = new NodePathTracer(training);
    invoker.tracer = tracer;
    List<Value> inputs = new ArrayList<>();
    int index = 0;
    for (VariableElement p : forward.getParameters()) {
      int node =
          tracer.placeholder(
              p.getSimpleName().toString(), index++, TypeNames.of(p.asType(), symbols.types));
      inputs.add(new Value.Symbolic(node, p.asType()));
    }
    MethodTree tree = trees.getTree(forward);
    Frame top = new Frame(root, root.type, invoker.unitOf(forward), "");
    Value result = invoker.inline(root, forward, inputs, "", tree, top);
    invoker.tracer = null;
    if (!(result instanceof Value.Symbolic s)) {
      throw new TraceException(
          Message.FORWARD_RESULT.format(Describe.of(result)), tree, invoker.unitOf(forward));
    }
    return new TracedGraph(tracer.nodes(), s.node());
  }

  /** {@code "resnet18()"} or {@code "new ResNet()"}. */
  public static String describe(ExecutableElement factory) {
    return factory.getKind() == javax.lang.model.element.ElementKind.CONSTRUCTOR
        ? "new " + factory.getEnclosingElement().getSimpleName() + "()"
        : factory.getSimpleName() + "()";
  }
}
