package dev.featurex.processor.trace;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import dev.featurex.processor.diagnostics.Message;
import java.util.HashMap;
import java.util.Map;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Types;

/**
 * One activation, and the explicit state every construct is evaluated with (as Error Prone's {@code
 * VisitorState}): {@code this}, the class whose code runs, its file, the locals, the scope (the
 * qualified name of the module whose {@code forward} runs, which names the ops inside it), and the
 * run's phase, environment, heap and budget.
 */
public final class Frame {

  private final Context context;
  private final Value self;
  private final TypeElement clazz;
  private final CompilationUnitTree unit;
  private final String scope;
  private final Map<String, Value> locals;

  private Frame(
      Context context,
      Value self,
      TypeElement clazz,
      CompilationUnitTree unit,
      String scope,
      Map<String, Value> locals) {
    this.context = context;
    this.self = self;
    this.clazz = clazz;
    this.unit = unit;
    this.scope = scope;
    this.locals = locals;
  }

  /** The first frame of a run: code of {@code clazz} with no {@code this}. */
  static Frame top(Context context, TypeElement clazz, String scope) {
    return new Frame(context, null, clazz, context.env.unitOf(clazz), scope, new HashMap<>());
  }

  /** A frame for a call of code in {@code clazz} on {@code self} (null for static code). */
  Frame callee(Value self, TypeElement clazz, String scope) {
    return new Frame(context, self, clazz, context.env.unitOf(clazz), scope, new HashMap<>());
  }

  /**
   * A frame for a lambda's body: this frame's {@code this}, scope and (effectively final) locals.
   */
  Frame closure(String scope) {
    return new Frame(context, self, clazz, unit, scope, new HashMap<>(locals));
  }

  // ------------------------------------------------------------------ state

  /** The phase this run is in. */
  public Phase phase() {
    return context.phase;
  }

  /** The configuration's heap. */
  public Heap heap() {
    return context.heap;
  }

  TraceEnvironment env() {
    return context.env;
  }

  Symbols symbols() {
    return context.env.symbols();
  }

  Types types() {
    return context.env.symbols().types;
  }

  TypeTrees typeTrees() {
    return context.env.typeTrees();
  }

  Statics statics() {
    return context.heap.statics();
  }

  Invocations invocations() {
    return Invocations.INSTANCE;
  }

  Value self() {
    return self;
  }

  TypeElement clazz() {
    return clazz;
  }

  CompilationUnitTree unit() {
    return unit;
  }

  /** The qualified name of the module whose {@code forward} runs ({@code ""} at the top). */
  public String scope() {
    return scope;
  }

  boolean hasLocal(String name) {
    return locals.containsKey(name);
  }

  Value local(String name) {
    return locals.get(name);
  }

  void setLocal(String name, Value value) {
    locals.put(name, value);
  }

  // ------------------------------------------------------------------ running

  /** Evaluates an expression. */
  Value evaluate(ExpressionTree tree) {
    return Expressions.INSTANCE.evaluate(tree, this);
  }

  /** Runs a statement. */
  void execute(StatementTree tree) {
    Statements.INSTANCE.execute(tree, this);
  }

  /** Evaluates a condition, which must be a known boolean. */
  boolean condition(ExpressionTree tree, String what) {
    return truth(evaluate(tree), tree, what);
  }

  /** The known boolean {@code v}, the value of {@code tree}. */
  boolean truth(Value v, Tree tree, String what) {
    if (v instanceof Value.Known k && k.value() instanceof Boolean b) {
      return b;
    }
    if (v.isTraced()) {
      throw error(tree, Message.TENSOR_CONDITION, what + " \"" + tree + "\"");
    }
    throw error(tree, Message.UNKNOWN_VALUE, what + " \"" + tree + "\"", v.describe());
  }

  /** A known integral value as an {@code int} (an index, a size). */
  int toInt(Value v, Tree tree) {
    if (v instanceof Value.Known k && k.value() instanceof Number n && !(n instanceof Double)) {
      return n.intValue();
    }
    if (v instanceof Value.Known k && k.value() instanceof Character c) {
      return c;
    }
    if (v.isTraced()) {
      throw error(tree, Message.TENSOR_CONDITION, "\"" + tree + "\"");
    }
    throw error(tree, Message.UNKNOWN_VALUE, "\"" + tree + "\"", v.describe());
  }

  /** Counts one step against the budget. */
  void step(Tree tree) {
    if (++context.steps > Context.STEP_BUDGET) {
      throw error(tree, Message.STEP_LIMIT, Context.STEP_BUDGET);
    }
  }

  /** Enters a nested call made at {@code site}; pair with {@link #leave()}. */
  void enter(Tree site) {
    if (++context.depth > Context.MAX_DEPTH) {
      context.depth--;
      throw error(site, Message.DEPTH_LIMIT, Context.MAX_DEPTH);
    }
  }

  /** Leaves a nested call. */
  void leave() {
    context.depth--;
  }

  // ------------------------------------------------------------------ errors

  /** An error on {@code tree} in this frame's file. */
  public TraceException error(Tree tree, Message message, Object... args) {
    return new TraceException(message.format(args), tree, unit);
  }

  /** A construct the tracer does not follow, with the advice that fits the phase. */
  public TraceException unsupported(Tree tree, String what) {
    return error(tree, Message.UNSUPPORTED, what, context.phase.advice());
  }

  /** A call the tracer cannot resolve, and why. */
  public TraceException unresolved(Tree tree, String why) {
    return error(
        tree,
        Message.UNRESOLVED_CALL,
        "\"" + Describe.abbreviate(tree) + "\"",
        why,
        context.phase.advice());
  }
}
