package dev.featurex.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gives nodes torchvision's names, in the order they are created: the rules of {@code
 * NodePathTracer._get_node_qualname} in torchvision 0.14, exactly.
 *
 * <ul>
 *   <li>A leaf module call is named by the module's qualified name.
 *   <li>Any other node is {@code <path of the module whose forward runs>.<op>}, or {@code <op>} at
 *       the top level.
 *   <li>A trailing {@code _<digits>} is dropped, then, if an earlier name matches {@code
 *       <name>(_[0-9]+)?} (the name is used as a regular expression, unescaped, as torchvision
 *       does), the most recent such name decides the suffix: {@code _1} after {@code <name>},
 *       {@code _(n+1)} after {@code <name>_n}.
 * </ul>
 *
 * <p>Not thread-safe: one namer per trace.
 */
public final class NodeNamer {

  private static final Pattern TRAILING_INDEX = Pattern.compile(".+_[0-9]+");

  private final List<String> names = new ArrayList<>();

  /** The name of a new leaf module call. */
  public String moduleCall(String moduleQualname) {
    return add(moduleQualname);
  }

  /** The name of a new non-module node ({@code op} is the method or operator name). */
  public String op(String currentModuleQualname, String op) {
    String qualname = currentModuleQualname.isEmpty() ? op : currentModuleQualname + "." + op;
    return add(qualname);
  }

  /**
   * torch.fx's name of a {@code get_attr} node reading the parameter {@code qualifiedName} ({@code
   * features.1.0.layer_scale} gives {@code features_1_0_layer_scale}): snake case, every run of
   * characters that cannot be in a Python identifier made one {@code _}, and a {@code _} before a
   * leading digit. {@link #op} then puts it under the current module, as torchvision does ({@code
   * features.1.0.features_1_0_layer_scale}).
   */
  public static String attributeName(String qualifiedName) {
    StringBuilder snake = new StringBuilder();
    boolean previousLower = false;
    for (int i = 0; i < qualifiedName.length(); i++) {
      char c = qualifiedName.charAt(i);
      if (previousLower && Character.isUpperCase(c)) {
        snake.append('_');
      }
      snake.append(Character.toLowerCase(c));
      previousLower = Character.isLowerCase(c);
    }
    String name = snake.toString().replaceAll("[^0-9a-zA-Z_]+", "_");
    return !name.isEmpty() && Character.isDigit(name.charAt(0)) ? "_" + name : name;
  }

  /** The names given so far, in order. */
  public List<String> names() {
    return List.copyOf(names);
  }

  private String add(String qualname) {
    String name = qualname;
    if (TRAILING_INDEX.matcher(name).matches()) {
      name = name.substring(0, name.lastIndexOf('_'));
    }
    Pattern literal = Pattern.compile(Pattern.quote(name) + "(_[0-9]+)?");
    String indexed;
    try {
      indexed = withIndex(name, BoundedRegex.compileOrQuote(name + "(_[0-9]+)?"), literal);
    } catch (BoundedRegex.TooComplexException e) {
      // torchvision would backtrack for ever on such a name; a name is never meant as a pattern.
      indexed = withIndex(name, literal, literal);
    }
    // A name with regex metacharacters may not match its own earlier copies as a pattern (where
    // torchvision would give two nodes one name); the literal match above and this keep names
    // unique.
    for (int k = 1; names.contains(indexed); k++) {
      indexed = name + "_" + k;
    }
    names.add(indexed);
    return indexed;
  }

  /**
   * {@code name} with the suffix the most recent earlier name matching {@code repeat}
   * (torchvision's rule) or {@code literal} calls for, if any.
   */
  private String withIndex(String name, Pattern repeat, Pattern literal) {
    for (int i = names.size() - 1; i >= 0; i--) {
      Matcher m = BoundedRegex.matcher(repeat, names.get(i));
      if (!m.matches()) {
        m = literal.matcher(names.get(i));
      }
      if (m.matches()) {
        String postfix = m.group(m.groupCount());
        int next = postfix == null ? 1 : Integer.parseInt(postfix.substring(1)) + 1;
        return name + "_" + next;
      }
    }
    return name;
  }
}
