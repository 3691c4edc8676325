package dev.featurex.samples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * torchvision 0.14.1's node lists, from the test resource {@code torchvision_node_names.json} in
 * this package: torchvision's own {@code get_graph_node_names} on the default constructor of each
 * model, written by {@code make_torchvision_node_names.py} beside it (Debian's {@code
 * python3-torchvision}), so the tests need no Python. The file is a fixed shape: model → mode →
 * list of strings, so a few regular expressions read it without a JSON library.
 */
final class ReferenceNodeNames {

  private static final String RESOURCE = "torchvision_node_names.json";
  private static final String JSON = load();

  private ReferenceNodeNames() {}

  /** The node names torchvision prints for {@code model} ("resnet18", ...) in {@code mode}. */
  static List<String> read(String model, String mode) {
    int modelAt = JSON.indexOf("\"" + model + "\"");
    if (modelAt < 0) {
      throw new IllegalArgumentException("no model " + model + " in " + RESOURCE);
    }
    int modeAt = JSON.indexOf("\"" + mode + "\"", modelAt);
    if (modeAt < 0) {
      throw new IllegalArgumentException("no mode " + mode + " for " + model + " in " + RESOURCE);
    }
    int open = JSON.indexOf('[', modeAt);
    int close = JSON.indexOf(']', open);
    List<String> names = new ArrayList<>();
    Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(JSON.substring(open, close));
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static String load() {
    try (InputStream in = ReferenceNodeNames.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            RESOURCE + " is missing from samples/src/test/resources/dev/featurex/samples");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
