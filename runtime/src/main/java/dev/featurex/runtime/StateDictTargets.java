package dev.featurex.runtime;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;

/**
 * The parameters and buffers of a model that a load copies into, found by key in libtorch's own
 * dicts ({@code named_parameters(true)}, {@code named_buffers(true)}): two native objects for the
 * whole model. Listing the keys instead costs a native string and a tensor handle per key, and
 * JavaCPP checks the process's memory (a read of {@code /proc/self/statm}, several microseconds)
 * for each native object it allocates: 640 checks for ResNet-50.
 *
 * <p>The tensors {@link #find} returns point into the dicts: use them only while this object is
 * reachable, inside the {@link org.bytedeco.javacpp.PointerScope} it was made in (the scope holds
 * the dicts until it closes).
 */
final class StateDictTargets {

  private final Module model;
  private final StringTensorDict parameters;
  private final StringTensorDict buffers;
  private final Map<String, Tensor> found = new HashMap<>();

  StateDictTargets(Module model) {
    this.model = model;
    this.parameters = model.named_parameters(true);
    this.buffers = model.named_buffers(true);
  }

  /**
   * The model's tensor for {@code key}, or null. A buffer wins over a parameter of the same name,
   * as in {@link StateDict#of}.
   */
  Tensor find(String key) {
    Tensor tensor = found.get(key);
    if (tensor == null) {
      tensor = buffers.find(key);
      tensor = tensor != null ? tensor : parameters.find(key);
      if (tensor != null) {
        found.put(key, tensor);
      }
    }
    return tensor;
  }

  /** The number of parameters and buffers (a name held by both counts twice). */
  long size() {
    return parameters.size() + buffers.size();
  }

  /**
   * Whether a key of the model starts with {@code prefix}; lists the keys, so not for every load.
   */
  boolean anyKeyStartsWith(String prefix) {
    return StateDict.of(model).keySet().stream().anyMatch(k -> k.startsWith(prefix));
  }

  /** The model's keys that {@code present} lacks, in PyTorch's order; lists the keys. */
  List<String> missingFrom(Map<String, ?> present) {
    return StateDict.of(model).keySet().stream().filter(k -> !present.containsKey(k)).toList();
  }
}
