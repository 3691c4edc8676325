/**
 * featurex's annotation processor: {@link dev.featurex.processor.FeaturexProcessor} runs, for each
 * annotated model class, the pipeline the packages spell out (docs/tracer-design.md):
 *
 * <ol>
 *   <li>{@code request}: what the annotations ask for, read from their mirrors;
 *   <li>{@code structure}: the structure phase, which runs a constructor or factory and freezes the
 *       module tree it builds;
 *   <li>{@code trace}: the interpreter over javac trees, and the forward phase, which runs {@code
 *       forward} on symbolic values into graphs with torchvision's node names; with {@code
 *       diagnostics}, the only package that reads method bodies through {@code com.sun.source};
 *   <li>{@code model}: the immutable result (configurations, graphs, nodes, calls) that the later
 *       steps read;
 *   <li>{@code validate}: return nodes against the traced graphs;
 *   <li>{@code generate}: the graph descriptor, the typed features and the extractor (JavaPoet).
 * </ol>
 *
 * <p>Every message the processor prints is in {@code diagnostics.Message}. The processor never
 * loads libtorch: it knows the presets' classes only as javac sees them.
 */
package dev.featurex.processor;
