package dev.featurex.runtime.weights;

import dev.featurex.runtime.StateDictFormatException;
import dev.featurex.runtime.weights.PyValues.PyDict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the state dict in what a checkpoint file holds: the file's dict itself when every value is
 * a tensor, else the entry the caller names, else the one entry among {@code state_dict}, {@code
 * model_state_dict} and {@code model} (the wrappers of training scripts) that is a dict of tensors.
 * Errors list what the file holds and how to choose.
 */
final class StateDictSelector {

  /** The entries of training checkpoints that hold the model's state dict, most common first. */
  static final List<String> WRAPPER_KEYS = List.of("state_dict", "model_state_dict", "model");

  private StateDictSelector() {}

  /**
   * The tensors of the state dict in {@code root}, in the file's order.
   *
   * @param entry the checkpoint entry to use, or {@code null} to find it
   */
  static Map<String, TensorRef> select(Path file, Object root, String entry)
      throws StateDictFormatException {
    if (!(root instanceof PyDict dict)) {
      throw new StateDictFormatException(
          file,
          "the file holds "
              + PyValues.describe(root)
              + ", not a dict of tensors; in Python,"
              + " save a state dict: torch.save(model.state_dict(), path)");
    }
    if (entry != null) {
      Object value = dict.entries.get(entry);
      if (!dict.entries.containsKey(entry) || !(value instanceof PyDict inner)) {
        throw new StateDictFormatException(
            file, "the checkpoint has no dict entry \"" + entry + "\"; it holds " + listing(dict));
      }
      return tensors(file, inner, "checkpoint[\"" + entry + "\"]");
    }
    if (dict.entries.isEmpty()
        || dict.entries.values().stream().allMatch(v -> v instanceof TensorRef)) {
      return tensors(file, dict, "the state dict");
    }
    List<String> found = new ArrayList<>();
    for (String key : WRAPPER_KEYS) {
      if (dict.entries.get(key) instanceof PyDict inner && isStateDict(inner)) {
        found.add(key);
      }
    }
    if (found.size() == 1) {
      return tensors(
          file, (PyDict) dict.entries.get(found.get(0)), "checkpoint[\"" + found.get(0) + "\"]");
    }
    if (found.isEmpty() && dict.entries.values().stream().anyMatch(v -> v instanceof TensorRef)) {
      return tensors(file, dict, "the state dict"); // says which entry is not a tensor
    }
    throw new StateDictFormatException(
        file,
        "the file holds a checkpoint, not a state dict: "
            + (found.isEmpty()
                ? "none of its entries " + WRAPPER_KEYS + " is a dict of tensors"
                : "its entries " + found + " are all dicts of tensors")
            + "; it holds "
            + listing(dict)
            + "; name the entry to load with LoadOptions.strict().withEntry(\"...\")");
  }

  private static boolean isStateDict(PyDict dict) {
    return !dict.entries.isEmpty()
        && dict.entries.entrySet().stream()
            .allMatch(e -> e.getKey() instanceof String && e.getValue() instanceof TensorRef);
  }

  private static Map<String, TensorRef> tensors(Path file, PyDict dict, String what)
      throws StateDictFormatException {
    Map<String, TensorRef> tensors = new LinkedHashMap<>();
    for (Map.Entry<Object, Object> e : dict.entries.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw new StateDictFormatException(
            file,
            what
                + " has "
                + PyValues.describe(e.getKey())
                + " as a key; a state dict maps"
                + " parameter names (str) to tensors");
      }
      if (!(e.getValue() instanceof TensorRef tensor)) {
        String hint =
            e.getValue() instanceof PyDict
                ? " (a checkpoint? name the entry to load with LoadOptions.strict().withEntry(\""
                    + key
                    + "\"))"
                : "";
        throw new StateDictFormatException(
            file,
            "entry \""
                + key
                + "\" of "
                + what
                + " is "
                + PyValues.describe(e.getValue())
                + ", not a tensor; a state dict maps parameter names to tensors"
                + hint);
      }
      tensors.put(key, tensor);
    }
    return tensors;
  }

  /**
   * The dict's keys and what each holds, at most 20: {@code "epoch" (an int), "model" (a dict)}.
   */
  private static String listing(PyDict dict) {
    List<String> items = new ArrayList<>();
    for (Map.Entry<Object, Object> e : dict.entries.entrySet()) {
      if (items.size() == 20) {
        items.add("and " + (dict.entries.size() - 20) + " more");
        break;
      }
      String key = e.getKey() instanceof String s ? "\"" + s + "\"" : String.valueOf(e.getKey());
      items.add(key + " (" + PyValues.describe(e.getValue()) + ")");
    }
    return String.join(", ", items);
  }
}
