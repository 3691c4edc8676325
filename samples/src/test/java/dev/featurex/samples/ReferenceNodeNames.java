package dev.featurex.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * torchvision 0.14's node lists from {@code ../shared/reference/torchvision_node_names.json}
 * (beside the checkout, in CI too). The file is a fixed shape: model → mode → list of strings, so a
 * few regular expressions read it without a JSON library.
 */
final class ReferenceNodeNames {

  private ReferenceNodeNames() {}

  /** The node names torchvision prints for {@code model} ("resnet18", ...) in {@code mode}. */
  static List<String> read(String model, String mode) throws IOException {
    String json = Files.readString(file());
    int modelAt = json.indexOf("\"" + model + "\"");
    if (modelAt < 0) {
      throw new IllegalArgumentException("no model " + model + " in " + file());
    }
    int modeAt = json.indexOf("\"" + mode + "\"", modelAt);
    int open = json.indexOf('[', modeAt);
    int close = json.indexOf(']', open);
    List<String> names = new ArrayList<>();
    Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(json.substring(open, close));
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static Path file() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("../shared/reference/torchvision_node_names.json").normalize();
      if (Files.exists(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "../shared/reference/torchvision_node_names.json not found beside the checkout");
  }
}
