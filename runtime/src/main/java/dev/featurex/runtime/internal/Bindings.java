package dev.featurex.runtime.internal;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.StringSharedModuleDict;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;

/**
 * How generated code binds what a graph reads from a model instance, once, when a program or an
 * extractor is made: leaf modules by qualified name ({@code named_modules()}), parameters and
 * buffers by qualified name, and Java leaf modules through the fields the tracer saw ({@link
 * ModuleAccess}). A name the instance lacks is an {@link IllegalArgumentException} naming it.
 */
public final class Bindings {

  private final Module model;
  private StringSharedModuleDict modules;
  private StringTensorDict parameters;
  private StringTensorDict buffers;

  private Bindings(Module model) {
    this.model = model;
  }

  /** Bindings on {@code model}. */
  public static Bindings of(Module model) {
    return new Bindings(model);
  }

  /** The module at {@code path} (a view such as {@code asConv2d()} is taken by the caller). */
  public Module module(String path) {
    if (modules == null) {
      modules = model.named_modules();
    }
    Module module = modules.contains(path) ? modules.get(path) : null;
    if (module == null || module.isNull()) {
      throw new IllegalArgumentException("the model has no module \"" + path + "\"");
    }
    return module;
  }

  /** The parameter {@code name} ({@code features.1.0.layer_scale}). */
  public Tensor parameter(String name) {
    if (parameters == null) {
      parameters = model.named_parameters(true);
    }
    return tensor(parameters, name, "parameter");
  }

  /** The buffer {@code name} ({@code bn1.running_mean}). */
  public Tensor buffer(String name) {
    if (buffers == null) {
      buffers = model.named_buffers(true);
    }
    return tensor(buffers, name, "buffer");
  }

  /** The Java leaf module the tracer reached through {@code steps} from the model. */
  public Object javaModule(String... steps) {
    return ModuleAccess.follow(model, steps);
  }

  private static Tensor tensor(StringTensorDict dict, String name, String what) {
    if (!dict.contains(name)) {
      throw new IllegalArgumentException("the model has no " + what + " \"" + name + "\"");
    }
    return dict.get(name);
  }
}
