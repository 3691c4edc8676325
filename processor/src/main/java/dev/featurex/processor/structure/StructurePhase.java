package dev.featurex.processor.structure;

import com.sun.source.tree.Tree;
import dev.featurex.processor.diagnostics.Message;
import dev.featurex.processor.model.Arg;
import dev.featurex.processor.model.Operator;
import dev.featurex.processor.trace.Frame;
import dev.featurex.processor.trace.Heap;
import dev.featurex.processor.trace.Instance;
import dev.featurex.processor.trace.Interpreter;
import dev.featurex.processor.trace.ModuleValue;
import dev.featurex.processor.trace.Opaque;
import dev.featurex.processor.trace.Phase;
import dev.featurex.processor.trace.TensorRef;
import dev.featurex.processor.trace.TraceEnvironment;
import dev.featurex.processor.trace.TraceException;
import dev.featurex.processor.trace.Value;
import java.util.List;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * The structure phase: the model's constructor or factory runs and builds the module tree. {@code
 * register_module}, {@code push_back}, {@code register_parameter} and {@code register_buffer} are
 * followed; {@code is_training()} is true, as for a module just built; native objects (options,
 * tensors) are carried, and a tensor that gets registered stays linked to its registration, so that
 * {@code forward} reads it from the model.
 */
public final class StructurePhase implements Phase {

  private static final StructurePhase INSTANCE = new StructurePhase();

  private StructurePhase() {}

  /**
   * Runs {@code factory} and returns the root module it built.
   *
   * @throws TraceException on the first construct the tracer cannot follow, or when the factory
   *     does not return a module
   */
  public static ModuleValue build(
      TraceEnvironment env, Heap heap, TypeElement model, ExecutableElement factory) {
    Value built = Interpreter.build(env, heap, INSTANCE, model, factory);
    if (!(built instanceof ModuleValue root)) {
      throw env.error(
          factory,
          Message.UNKNOWN_VALUE,
          "the model built by " + describe(factory),
          "it returned " + built.describe());
    }
    if (!env.isSameType(root.type(), model)) {
      throw env.error(
          factory,
          Message.FACTORY_RETURNS_OTHER,
          describe(factory),
          root.type().getSimpleName(),
          model.getSimpleName());
    }
    return root;
  }

  /** {@code "resnet18()"} or {@code "new ResNet()"}. */
  public static String describe(ExecutableElement factory) {
    return factory.getKind() == ElementKind.CONSTRUCTOR
        ? "new " + factory.getEnclosingElement().getSimpleName() + "()"
        : factory.getSimpleName() + "()";
  }

  @Override
  public boolean isTraining() {
    return true;
  }

  @Override
  public boolean tracesForward() {
    return false;
  }

  @Override
  public String advice() {
    return "the model is built by running its constructor at compile time, so compute it from"
        + " known values (sizes, counts, flags) with the constructs listed in docs/tracing.md";
  }

  @Override
  public Value read(Value value, Tree site, Frame frame) {
    return value;
  }

  @Override
  public void observe(Instance owner, String field, Value value, Tree site, Frame frame) {
    // The structure the constructor builds is checked as the module tree.
  }

  @Override
  public Value callModule(ModuleValue module, List<Value> args, Tree site, Frame frame) {
    throw frame.unsupported(
        site,
        "calling forward while the model is built (tensors do not exist at compile time); compute"
            + " sizes from the configuration instead");
  }

  @Override
  public Value registerModule(ModuleValue parent, List<Value> args, Tree site, Frame frame) {
    if (args.size() != 2
        || !(args.get(0) instanceof Value.Known k && k.value() instanceof String name)
        || !(args.get(1) instanceof ModuleValue child)) {
      throw frame.error(
          site,
          Message.UNKNOWN_VALUE,
          "\"" + site + "\"",
          "register_module needs a name known when tracing and a module");
    }
    try {
      parent.register(name, child);
    } catch (IllegalArgumentException e) {
      throw frame.error(site, Message.MODULE_REGISTRATION, e.getMessage());
    }
    return child;
  }

  @Override
  public Value registerTensor(
      ModuleValue owner, boolean buffer, List<Value> args, Tree site, Frame frame) {
    if (args.size() < 2
        || args.size() > 3
        || !(args.get(0) instanceof Value.Known k && k.value() instanceof String name)) {
      throw frame.error(
          site,
          Message.UNKNOWN_VALUE,
          "\"" + site + "\"",
          (buffer ? "register_buffer" : "register_parameter")
              + " needs a name known when tracing and a tensor");
    }
    Value tensor = args.get(1);
    TensorRef ref;
    try {
      ref = owner.registerTensor(name, buffer);
    } catch (IllegalArgumentException e) {
      throw frame.error(site, Message.MODULE_REGISTRATION, e.getMessage());
    }
    if (tensor instanceof Opaque native_) {
      frame.heap().registered(native_, ref);
    }
    return ref;
  }

  @Override
  public Value pushBack(ModuleValue container, List<Value> args, Tree site, Frame frame) {
    String name = null;
    Value child = args.isEmpty() ? null : args.get(args.size() - 1);
    if (args.size() == 2) {
      if (!(args.get(0) instanceof Value.Known k && k.value() instanceof String s)) {
        throw frame.error(
            site, Message.UNKNOWN_VALUE, "\"" + site + "\"", "push_back needs a known name");
      }
      name = s;
    }
    if (args.size() > 2 || !(child instanceof ModuleValue module)) {
      throw frame.error(
          site, Message.UNKNOWN_VALUE, "\"" + site + "\"", "push_back needs a module");
    }
    try {
      container.pushBack(name, module);
    } catch (IllegalArgumentException e) {
      throw frame.error(site, Message.MODULE_REGISTRATION, e.getMessage());
    }
    return Value.Known.NULL;
  }

  @Override
  public Value moduleMethod(
      ModuleValue module,
      String name,
      ExecutableElement method,
      List<Value> args,
      Tree site,
      Frame frame) {
    if (method == null) {
      throw frame.unresolved(site, "not a method of " + module.type().getSimpleName());
    }
    // Library API used while building (initialisation, options): carried, not followed.
    return Opaque.carried(method.getReturnType(), frame);
  }

  @Override
  public Value methodOnTraced(
      Value.Symbolic receiver, String method, List<Value> args, Tree site, Frame frame) {
    throw frame.unsupported(site, "traced values outside forward");
  }

  @Override
  public Value function(
      TypeElement owner, ExecutableElement method, List<Value> args, Tree site, Frame frame) {
    throw frame.unsupported(site, "traced values outside forward");
  }

  @Override
  public Value operator(Operator operator, List<Value> operands, Tree site, Frame frame) {
    throw frame.unsupported(site, "traced values outside forward");
  }

  @Override
  public Value guard(Value condition, Arg.NewObject exception, Tree site, Frame frame) {
    throw frame.unsupported(site, "traced values outside forward");
  }
}
