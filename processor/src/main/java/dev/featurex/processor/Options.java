package dev.featurex.processor;

import java.util.Map;
import java.util.Set;

/**
 * The processor's {@code -A} options.
 *
 * @param timing {@code -Afeaturex.timing=true}: a note per model with the processor's time, phase
 *     by phase
 * @param dump {@code -Afeaturex.dump=true}: every traced graph written as text next to the classes
 *     ({@code META-INF/featurex/<model>.graphs}), to read what the tracer saw without parsing
 *     generated code
 */
record Options(boolean timing, boolean dump) {

  static final String TIMING = "featurex.timing";
  static final String DUMP = "featurex.dump";

  /** The options the processor declares. */
  static final Set<String> NAMES = Set.of(TIMING, DUMP);

  static Options of(Map<String, String> options) {
    return new Options(
        Boolean.parseBoolean(options.get(TIMING)), Boolean.parseBoolean(options.get(DUMP)));
  }
}
