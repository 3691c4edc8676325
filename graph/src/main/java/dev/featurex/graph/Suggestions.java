package dev.featurex.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** "Did you mean": the existing names closest to a misspelled one, by edit distance. */
public final class Suggestions {

  /** How many names a message offers at most. */
  public static final int LIMIT = 3;

  private Suggestions() {}

  /**
   * Up to {@link #LIMIT} names from {@code candidates} closest to {@code wrong} (Levenshtein
   * distance; ties keep the candidates' order), leaving out those that share too little to help: a
   * distance of more than half the longer name.
   */
  public static List<String> closest(String wrong, List<String> candidates) {
    record Scored(String name, int distance, int order) {}
    List<Scored> scored = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      String candidate = candidates.get(i);
      int distance = distance(wrong, candidate);
      if (distance <= Math.max(wrong.length(), candidate.length()) / 2) {
        scored.add(new Scored(candidate, distance, i));
      }
    }
    scored.sort(Comparator.comparingInt(Scored::distance).thenComparingInt(Scored::order));
    return scored.stream().limit(LIMIT).map(Scored::name).distinct().toList();
  }

  /** {@code did you mean "a", "b" or "c"?}, or the empty string when there is nothing close. */
  public static String didYouMean(String wrong, List<String> candidates) {
    List<String> closest = closest(wrong, candidates);
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
