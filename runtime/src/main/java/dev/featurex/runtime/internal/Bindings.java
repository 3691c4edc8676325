package dev.featurex.runtime.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

  /**
   * What one binding record of a {@link ProgramTable} names: {@code module, path, view} (the module
   * at {@code path} through its view, {@code asConv2d}), {@code java, path, steps...} (a Java leaf
   * module, {@link #javaModule}), {@code parameter, name} or {@code buffer, name}.
   *
   * @throws IllegalArgumentException naming what the model lacks, or a malformed record
   */
  public Object resolve(List<String> record) {
    String kind = record.isEmpty() ? "" : record.get(0);
    switch (kind) {
      case "module":
        if (record.size() == 3) {
          return view(module(record.get(1)), record.get(2));
        }
        break;
      case "java":
        if (record.size() >= 2) {
          return javaModule(record.subList(2, record.size()).toArray(String[]::new));
        }
        break;
      case "parameter":
        if (record.size() == 2) {
          return parameter(record.get(1));
        }
        break;
      case "buffer":
        if (record.size() == 2) {
          return buffer(record.get(1));
        }
        break;
      default:
        break;
    }
    throw new IllegalArgumentException("not a binding record: " + record);
  }

  /**
   * {@code module} through its view method ({@code asConv2d()}); the processor took the name from
   * the presets' {@code Module} it compiled against, so a missing one means another presets version
   * at run time.
   */
  private static Object view(Module module, String view) {
    MethodHandle handle = VIEWS.computeIfAbsent(view, Bindings::viewHandle);
    try {
      return handle.invoke(module);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("Module." + view + "() failed", e);
    }
  }

  private static MethodHandle viewHandle(String name) {
    try {
      Method method = Module.class.getMethod(name);
      return MethodHandles.publicLookup()
          .unreflect(method)
          .asType(MethodType.methodType(Object.class, Module.class));
    } catch (NoSuchMethodException | IllegalAccessException e) {
      throw new IllegalArgumentException(
          "the pytorch presets on the class path have no public Module."
              + name
              + "(): the model was compiled against another version of org.bytedeco:pytorch",
          e);
    }
  }

  private static final Map<String, MethodHandle> VIEWS = new ConcurrentHashMap<>();

  private static Tensor tensor(StringTensorDict dict, String name, String what) {
    if (!dict.contains(name)) {
      throw new IllegalArgumentException("the model has no " + what + " \"" + name + "\"");
    }
    // get() refers into the dict, which is freed once these bindings are collected: a program
    // outlives them, so it holds each tensor by a handle of its own.
    return new Tensor(dict.get(name));
  }
}
