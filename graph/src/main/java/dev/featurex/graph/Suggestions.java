package dev.featurex.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * "Did you mean": the selections closest to a misspelled one, by edit distance. A selection is a
 * node name or a prefix of one ({@code "layer4"} selects the last node inside {@code layer4}), so a
 * typo of either is answered ({@code "layr4"} → {@code "layer4"}). The processor and the runtime
 * both word their "not present" errors with {@link #didYouMean}.
 */
public final class Suggestions {

  /** How many names a message offers at most. */
  public static final int LIMIT = 3;

  private Suggestions() {}

  /**
   * Up to {@link #LIMIT} names from {@code candidates} closest to {@code wrong}, leaving out those
   * that share too little to help: a distance of more than half the longer name. Closest means the
   * smallest Levenshtein distance; among equals, the length nearest to {@code wrong}'s (a typo
   * keeps roughly the length of what was meant: {@code "layer4.1.rleu"} is nearer {@code
   * "layer4.1.conv1"} than the prefix {@code "layer4.1"}), then the candidates' order.
   */
  public static List<String> closest(String wrong, List<String> candidates) {
    record Scored(String name, int distance, int lengthGap, int order) {}
    List<Scored> scored = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      String candidate = candidates.get(i);
      int distance = distance(wrong, candidate);
      if (distance <= Math.max(wrong.length(), candidate.length()) / 2) {
        int lengthGap = Math.abs(candidate.length() - wrong.length());
        scored.add(new Scored(candidate, distance, lengthGap, i));
      }
    }
    scored.sort(
        Comparator.comparingInt(Scored::distance)
            .thenComparingInt(Scored::lengthGap)
            .thenComparingInt(Scored::order));
    return scored.stream().map(Scored::name).distinct().limit(LIMIT).toList();
  }

  /**
   * {@code did you mean "a", "b" or "c"?}: the {@linkplain #closest closest} of the {@linkplain
   * #selections selections} that {@code nodeNames} offer, or the empty string when none is close.
   */
  public static String didYouMean(String wrong, List<String> nodeNames) {
    List<String> closest = closest(wrong, selections(nodeNames));
    if (closest.isEmpty()) {
      return "";
    }
    StringBuilder text = new StringBuilder("did you mean ");
    for (int i = 0; i < closest.size(); i++) {
      if (i > 0) {
        text.append(i == closest.size() - 1 ? " or " : ", ");
      }
      text.append('"').append(closest.get(i)).append('"');
    }
    return text.append('?').toString();
  }

  /**
   * Every request that {@code nodeNames} answer (torchvision's rule {@code ^request(\.|$)}): each
   * name and each of its {@code .}-separated prefixes, once, in the order they first appear,
   * shorter prefixes first ({@code layer1, layer1.0, layer1.0.conv1, layer1.0.bn1, ...}).
   */
  public static List<String> selections(List<String> nodeNames) {
    Set<String> selections = new LinkedHashSet<>();
    for (String name : nodeNames) {
      for (int dot = name.indexOf('.'); dot > 0; dot = name.indexOf('.', dot + 1)) {
        selections.add(name.substring(0, dot));
      }
      selections.add(name);
    }
    return List.copyOf(selections);
  }

  /** Levenshtein distance. */
  public static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
