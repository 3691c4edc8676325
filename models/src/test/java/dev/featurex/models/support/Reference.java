package dev.featurex.models.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * torchvision 0.14.1's facts about one model, from {@code reference/NAME.json} on the test class
 * path (written by {@code models/reference/export.py}; see the README beside the files).
 *
 * @param model torchvision's builder name
 * @param parameters the parameter count
 * @param stateDict every state dict key with its shape, in torchvision's order
 * @param train the train-mode node names, or null when torchvision cannot trace the model
 * @param eval the eval-mode node names, or null when torchvision cannot trace the model
 * @param traceError torchvision's error when it cannot trace the model, or null
 * @param trainUnpacking when torchvision cannot trace the model, the train-mode names its tracer
 *     gives once {@code torch.fx} recognises tuple unpacking on Python 3.11 (see {@code
 *     export.py}); otherwise null
 * @param evalUnpacking the same in eval mode
 */
public record Reference(
    String model,
    long parameters,
    Map<String, List<Long>> stateDict,
    List<String> train,
    List<String> eval,
    String traceError,
    List<String> trainUnpacking,
    List<String> evalUnpacking) {

  /** Reads the reference of torchvision's model {@code name}. */
  @SuppressWarnings("unchecked")
  public static Reference of(String name) {
    String resource = "/reference/" + name + ".json";
    try (InputStream in = Reference.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException(
            "no " + resource + " on the test class path: run models/reference/export.py");
      }
      Map<String, Object> json =
          (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      Map<String, List<Long>> stateDict = new LinkedHashMap<>();
      for (Object entry : (List<Object>) json.get("state_dict")) {
        List<Object> pair = (List<Object>) entry;
        List<Long> shape = new ArrayList<>();
        for (Object d : (List<Object>) pair.get(1)) {
          shape.add((Long) d);
        }
        stateDict.put((String) pair.get(0), List.copyOf(shape));
      }
      return new Reference(
          (String) json.get("model"),
          (Long) json.get("parameters"),
          stateDict,
          strings(json.get("train")),
          strings(json.get("eval")),
          (String) json.get("trace_error"),
          strings(json.get("train_py311_unpacking")),
          strings(json.get("eval_py311_unpacking")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object list) {
    if (list == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (Object o : (List<Object>) list) {
      out.add((String) o);
    }
    return List.copyOf(out);
  }
}
