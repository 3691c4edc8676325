package dev.featurex.processor.trace;

import com.sun.source.tree.Tree;
import dev.featurex.processor.model.Arg;
import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.TypeMirror;

/**
 * A parameter or buffer registered on a module ({@code register_parameter}, {@code
 * register_buffer}, or a built-in module's own {@code weight()}). In {@code forward}, reading one
 * gives its {@code get_attr} node (a parameter) or a read of the live model (a buffer): never a
 * copy made at compile time.
 */
public final class TensorRef implements Value {

  private final ModuleValue owner;
  private final String name;
  private final boolean buffer;

  TensorRef(ModuleValue owner, String name, boolean buffer) {
    this.owner = owner;
    this.name = name;
    this.buffer = buffer;
  }

  /** The module it is registered on. */
  public ModuleValue owner() {
    return owner;
  }

  /** Its name on the owner ({@code weight}). */
  public String name() {
    return name;
  }

  /** Whether it is a buffer (else a parameter). */
  public boolean isBuffer() {
    return buffer;
  }

  @Override
  public String describe() {
    return (buffer ? "the buffer" : "the parameter") + " \"" + name + "\" of " + owner.describe();
  }

  @Override
  public TypeMirror staticType(Symbols symbols) {
    return symbols.types.erasure(symbols.type("org.bytedeco.pytorch.Tensor").asType());
  }

  @Override
  public boolean isTraced() {
    return false;
  }

  @Override
  public Value invoke(String method, List<Value> args, Tree site, Frame frame) {
    Value read = frame.phase().read(this, site, frame);
    if (read != this) {
      return read.invoke(method, args, site, frame);
    }
    // While the model is built (initialisation such as normal_()), the tensor is a native object.
    ExecutableElement resolved =
        frame.symbols().choose(frame.symbols().methods(frame.env().tensorType(), method), args);
    if (resolved == null) {
      throw frame.unresolved(site, "no Tensor." + method + " takes these arguments");
    }
    return new Opaque(resolved.getReturnType(), null, false);
  }

  @Override
  public Arg toArg(Tree site, Frame frame) {
    Value read = frame.phase().read(this, site, frame);
    if (read != this) {
      return read.toArg(site, frame);
    }
    throw frame.unsupported(site, "passing " + describe() + " to a call while building the model");
  }
}
