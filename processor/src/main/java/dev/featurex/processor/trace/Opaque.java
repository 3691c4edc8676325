package dev.featurex.processor.trace;

import com.sun.source.tree.Tree;
import dev.featurex.processor.model.Arg;
import dev.featurex.processor.model.TypeNames;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.type.TypeMirror;

/**
 * A native object the tracer does not look into (options, pointers, scalars, tensors made from
 * known values), carried with the expression that re-creates it in generated code ({@code new
 * Scalar(1)}, {@code torch.ones(96L)}).
 *
 * <p>The recipe is only as good as the object is unchanged: a method call on the object may change
 * it ({@code options.stride().put(...)}), so after one the recipe is dropped and generated code can
 * no longer use the object. A tensor made while building the model is state of the model, not a
 * constant: {@code forward} may use it only once registered (then it is read from the live model).
 */
public final class Opaque implements Value {

  private final TypeMirror type;
  private final boolean fromForward;
  private Arg recipe;

  Opaque(TypeMirror type, Arg recipe, boolean fromForward) {
    this.type = type;
    this.recipe = recipe;
    this.fromForward = fromForward;
  }

  /** A native object that generated code cannot re-create, made in {@code frame}'s phase. */
  public static Opaque carried(TypeMirror type, Frame frame) {
    return new Opaque(type, null, frame.phase().tracesForward());
  }

  /** Notes that a method was called on the object: it may have changed. */
  void touch() {
    recipe = null;
  }

  /** The expression that re-creates the object, or null when there is none. */
  Arg recipe() {
    return recipe;
  }

  /** Whether the object was made while {@code forward} ran. */
  boolean fromForward() {
    return fromForward;
  }

  @Override
  public String describe() {
    return "a native " + TypeNames.simpleName(String.valueOf(type));
  }

  @Override
  public TypeMirror staticType(Symbols symbols) {
    return type;
  }

  @Override
  public boolean isTraced() {
    if (recipe == null) {
      return false;
    }
    List<Integer> nodes = new ArrayList<>();
    recipe.collectNodes(nodes);
    return !nodes.isEmpty();
  }

  @Override
  public Value invoke(String method, List<Value> args, Tree site, Frame frame) {
    return frame.invocations().callOpaque(this, method, args, site, frame);
  }

  @Override
  public Arg toArg(Tree site, Frame frame) {
    if (!fromForward && frame.phase().tracesForward() && frame.env().isTensor(type)) {
      throw frame.unsupported(
          site,
          "a Tensor made while building the model and used in forward without being registered:"
              + " generated code would re-create it as a constant, and miss every change to it."
              + " Register it with register_parameter or register_buffer, so that forward reads"
              + " it from the model");
    }
    if (recipe == null) {
      throw frame.unsupported(
          site,
          "passing "
              + describe()
              + " that generated code cannot re-create to a traced call (it was changed by a"
              + " method call, or made by code the tracer does not follow); build it from known"
              + " values where it is used");
    }
    return recipe;
  }
}
