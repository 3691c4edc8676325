package dev.featurex.runtime.weights;

import dev.featurex.runtime.StateDictFormatException;
import dev.featurex.runtime.weights.PyValues.PyDict;
import dev.featurex.runtime.weights.PyValues.PyGlobal;
import dev.featurex.runtime.weights.PyValues.PyTuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The allowlist: the only globals a checkpoint's pickle may name, and what calling each one builds.
 * It is the set of {@code torch.load(weights_only=True)} that state dicts need: {@code
 * collections.OrderedDict}, the tensor and parameter rebuilders, the storage classes of {@link
 * DType}, the dtypes, and the type tags of libtorch's own pickler. Any other global is refused when
 * the pickle names it, before anything is built, with its name, the file and a hint.
 */
final class TorchGlobals {

  /** The most dimensions a tensor may declare. */
  static final int MAX_DIMS = 64;

  private static final Set<String> FUNCTIONS =
      Set.of(
          "collections.OrderedDict",
          "torch._utils._rebuild_tensor",
          "torch._utils._rebuild_tensor_v2",
          "torch._utils._rebuild_parameter",
          "torch._utils._rebuild_parameter_with_state",
          "torch._tensor._rebuild_from_type_v2",
          "torch.jit._pickle.restore_type_tag",
          "torch.jit._pickle.build_intlist",
          "torch.jit._pickle.build_doublelist",
          "torch.jit._pickle.build_boollist",
          "torch.jit._pickle.build_tensorlist");

  /** Types that are only ever passed as arguments (to {@code _rebuild_from_type_v2}). */
  private static final Set<String> TENSOR_TYPES =
      Set.of("torch.Tensor", "torch.nn.parameter.Parameter");

  private TorchGlobals() {}

  /**
   * The global {@code module.name}, if the allowlist has it.
   *
   * @throws StateDictFormatException naming the global, the file and what to do, otherwise
   */
  static PyGlobal resolve(PickleInput in, String module, String name)
      throws StateDictFormatException {
    String qualified = module + "." + name;
    boolean storage = module.equals("torch") && DType.ofStorageClass(name).isPresent();
    boolean dtype = module.equals("torch") && DType.ofTorchName(name).isPresent();
    if (FUNCTIONS.contains(qualified) || TENSOR_TYPES.contains(qualified) || storage || dtype) {
      return new PyGlobal(module, name);
    }
    throw in.corrupt(refusal(qualified, in.part()));
  }

  private static String refusal(String global, String part) {
    String why =
        "refused to load the global "
            + global
            + " named in "
            + part
            + ": featurex builds only the allowlisted globals of a state dict (tensors, storages,"
            + " OrderedDict), like torch.load(weights_only=True), so that no file can run code; ";
    if (global.startsWith("torch._utils._rebuild_qtensor")
        || global.matches("torch\\.Q.*Storage")) {
      return why + "quantized tensors are not supported: save a float model's state dict";
    }
    if (global.startsWith("torch._utils._rebuild_sparse") || global.contains("sparse")) {
      return why + "sparse tensors are not supported: save tensor.to_dense() instead";
    }
    if (global.matches("torch\\.Complex.*Storage")) {
      return why + "complex tensors are not supported";
    }
    if (global.startsWith("numpy.") || global.startsWith("argparse.")) {
      return why
          + "the file holds more than tensors (a training checkpoint?): in Python, save the state"
          + " dict alone with torch.save(checkpoint[\"state_dict\"], path)";
    }
    return why
        + "if the file holds a whole model (torch.save(model)), save its state dict instead:"
        + " torch.save(model.state_dict(), path)";
  }

  /** What calling {@code function} with {@code args} builds (the pickle's REDUCE or NEWOBJ). */
  static Object call(PickleInput in, PyGlobal function, PyTuple args)
      throws StateDictFormatException {
    String name = function.toString();
    try {
      return switch (name) {
        case "collections.OrderedDict" -> orderedDict(in, args);
        case "torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2" ->
            rebuildTensor(in, args);
        case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" ->
            tensorArgument(in, name, args, 0);
        case "torch._tensor._rebuild_from_type_v2" -> rebuildFromType(in, args);
        case "torch.jit._pickle.restore_type_tag" -> argument(in, name, args, 0);
        case "torch.jit._pickle.build_intlist",
            "torch.jit._pickle.build_doublelist",
            "torch.jit._pickle.build_boollist",
            "torch.jit._pickle.build_tensorlist" ->
            list(in, name, argument(in, name, args, 0));
        default ->
            throw in.corrupt(name + " cannot be called in " + in.part() + "; the file is corrupt");
      };
    } catch (ArithmeticException e) {
      throw in.corrupt(name + " in " + in.part() + " has sizes that overflow; the file is corrupt");
    }
  }

  /** The pickle's BUILD on {@code target}: only an OrderedDict's attributes ({@code _metadata}). */
  static void build(PickleInput in, Object target, Object state) throws StateDictFormatException {
    if (target instanceof PyDict dict && state instanceof PyDict attributes) {
      for (var entry : attributes.entries.entrySet()) {
        if (entry.getKey() instanceof String key) {
          dict.attributes.put(key, entry.getValue());
        }
      }
      return;
    }
    if (target instanceof TensorRef && (state == null || isEmpty(state))) {
      return; // a tensor without Python attributes
    }
    throw in.corrupt(
        "BUILD of "
            + PyValues.describe(target)
            + " with "
            + PyValues.describe(state)
            + " in "
            + in.part()
            + " is not part of a state dict; the file is corrupt or not a state dict");
  }

  private static boolean isEmpty(Object state) {
    return state instanceof PyDict d && d.entries.isEmpty()
        || state instanceof PyTuple t && t.values().stream().allMatch(TorchGlobals::isEmptyOrNone);
  }

  private static boolean isEmptyOrNone(Object value) {
    return value == null || isEmpty(value);
  }

  private static PyDict orderedDict(PickleInput in, PyTuple args) throws StateDictFormatException {
    if (args.size() != 0) {
      throw in.corrupt("collections.OrderedDict is called with arguments in " + in.part());
    }
    return new PyDict(true);
  }

  /**
   * {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad,
   * backward_hooks[, metadata])}: a view of the storage, checked to lie inside it.
   */
  private static TensorRef rebuildTensor(PickleInput in, PyTuple args)
      throws StateDictFormatException {
    if (args.size() < 4 || !(args.get(0) instanceof StorageView view)) {
      throw in.corrupt(
          "a tensor in "
              + in.part()
              + " is not (storage, offset, size, stride, ...); the file is corrupt");
    }
    long offset = integer(in, args.get(1), "storage offset");
    long[] shape = longs(in, args.get(2), "size");
    long[] stride = longs(in, args.get(3), "stride");
    if (shape.length != stride.length) {
      throw in.corrupt(
          "a tensor in "
              + in.part()
              + " has "
              + shape.length
              + " sizes but "
              + stride.length
              + " strides; the file is corrupt");
    }
    long numel = 1;
    long last = offset;
    for (int d = 0; d < shape.length; d++) {
      numel = Math.multiplyExact(numel, shape[d]);
      last = Math.addExact(last, Math.multiplyExact(Math.max(shape[d] - 1, 0), stride[d]));
    }
    if (numel > 0 && last >= view.numel() || offset > view.numel()) {
      throw in.corrupt(
          "a tensor of shape "
              + java.util.Arrays.toString(shape)
              + " in "
              + in.part()
              + " reaches element "
              + last
              + " of "
              + view.storage().name()
              + ", which has "
              + view.numel()
              + "; the file is corrupt");
    }
    return new TensorRef(view.storage(), view.offset() + offset, shape, stride);
  }

  /**
   * {@code _rebuild_from_type_v2(func, new_type, args, state)} for plain tensors and parameters.
   */
  private static Object rebuildFromType(PickleInput in, PyTuple args)
      throws StateDictFormatException {
    String name = "torch._tensor._rebuild_from_type_v2";
    if (args.size() != 4
        || !(args.get(0) instanceof PyGlobal function)
        || !(args.get(1) instanceof PyGlobal type && TENSOR_TYPES.contains(type.toString()))
        || !(args.get(2) instanceof PyTuple inner)) {
      throw in.corrupt(
          name + " in " + in.part() + " does not rebuild a plain tensor; the file is corrupt");
    }
    Object tensor = call(in, function, inner);
    if (!(tensor instanceof TensorRef)) {
      throw in.corrupt(
          name + " in " + in.part() + " does not rebuild a tensor; the file is corrupt");
    }
    return tensor;
  }

  private static Object tensorArgument(PickleInput in, String name, PyTuple args, int index)
      throws StateDictFormatException {
    Object value = argument(in, name, args, index);
    if (!(value instanceof TensorRef)) {
      throw in.corrupt(
          name + " in " + in.part() + " is given " + PyValues.describe(value) + ", not a tensor");
    }
    return value;
  }

  private static Object argument(PickleInput in, String name, PyTuple args, int index)
      throws StateDictFormatException {
    if (args.size() <= index) {
      throw in.corrupt(name + " in " + in.part() + " lacks its arguments; the file is corrupt");
    }
    return args.get(index);
  }

  private static List<Object> list(PickleInput in, String name, Object value)
      throws StateDictFormatException {
    if (value instanceof List<?> items) {
      return new ArrayList<>(items);
    }
    throw in.corrupt(
        name + " in " + in.part() + " is given " + PyValues.describe(value) + ", not a list");
  }

  static long integer(PickleInput in, Object value, String what) throws StateDictFormatException {
    if (value instanceof Long n && n >= 0) {
      return n;
    }
    throw in.corrupt(
        "a tensor's "
            + what
            + " in "
            + in.part()
            + " is "
            + PyValues.describe(value)
            + (value instanceof Long ? " below 0" : "")
            + ", not a size; the file is corrupt");
  }

  private static long[] longs(PickleInput in, Object value, String what)
      throws StateDictFormatException {
    List<Object> items =
        value instanceof PyTuple t
            ? t.values()
            : value instanceof List<?> l ? new ArrayList<>(l) : null;
    if (items == null || items.size() > MAX_DIMS) {
      throw in.corrupt(
          "a tensor's "
              + what
              + " in "
              + in.part()
              + " is "
              + PyValues.describe(value)
              + (items == null
                  ? ""
                  : " of " + items.size() + " dimensions (at most " + MAX_DIMS + ")")
              + "; the file is corrupt");
    }
    long[] out = new long[items.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = integer(in, items.get(i), what);
    }
    return out;
  }
}
