package dev.featurex.processor.trace;

import com.sun.source.tree.Tree;
import dev.featurex.processor.model.Arg;
import dev.featurex.processor.model.Operator;
import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * What differs between building the model (the structure phase: constructors and factories register
 * modules) and running {@code forward} (the forward phase: calls on modules and traced values
 * record graph nodes). The interpreter is the same; it asks the phase at each point where the two
 * differ, so neither needs to test which phase it is in.
 */
public interface Phase {

  /** The value of {@code is_training()}: true while modules are built, as in libtorch. */
  boolean isTraining();

  /** Whether this is the forward phase (values created now belong to {@code forward}). */
  boolean tracesForward();

  /** What an error message advises here ({@code make the module a leaf (@LeafModule)}, ...). */
  String advice();

  /**
   * A field's value as code reads it: in {@code forward}, a registered parameter becomes its {@code
   * get_attr} node and a buffer a read of the live model; otherwise {@code value} itself.
   */
  Value read(Value value, Tree site, Frame frame);

  /**
   * Notes that code read instance field {@code field} of {@code owner} and found {@code value}, at
   * {@code site}: in {@code forward}, a known value the graph depends on.
   */
  void observe(Instance owner, String field, Value value, Tree site, Frame frame);

  /** {@code module.forward(args)}. */
  Value callModule(ModuleValue module, List<Value> args, Tree site, Frame frame);

  /** {@code parent.register_module(name, child)}. */
  Value registerModule(ModuleValue parent, List<Value> args, Tree site, Frame frame);

  /** {@code owner.register_parameter(name, tensor[, requiresGrad])} or {@code register_buffer}. */
  Value registerTensor(ModuleValue owner, boolean buffer, List<Value> args, Tree site, Frame frame);

  /** {@code container.push_back([name,] child)} on a {@code SequentialImpl} or module list. */
  Value pushBack(ModuleValue container, List<Value> args, Tree site, Frame frame);

  /** Any other method of {@code Module} on a module, resolved to {@code method} (may be null). */
  Value moduleMethod(
      ModuleValue module,
      String name,
      ExecutableElement method,
      List<Value> args,
      Tree site,
      Frame frame);

  /** {@code receiver.method(args)} on a traced value. */
  Value methodOnTraced(
      Value.Symbolic receiver, String method, List<Value> args, Tree site, Frame frame);

  /** A static function of the presets ({@code torch.cat}) with a traced argument. */
  Value function(
      TypeElement owner, ExecutableElement method, List<Value> args, Tree site, Frame frame);

  /** A Java operator with a traced operand. */
  Value operator(Operator operator, List<Value> operands, Tree site, Frame frame);

  /**
   * A check on the input, {@code if (condition) throw exception} with a traced condition: a guard
   * node in {@code forward}.
   */
  Value guard(Value condition, Arg.NewObject exception, Tree site, Frame frame);
}
