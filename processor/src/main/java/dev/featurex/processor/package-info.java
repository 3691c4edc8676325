/**
 * featurex's annotation processor: {@link dev.featurex.processor.FeaturexProcessor} runs the
 * pipeline for each annotated model class, and {@link dev.featurex.processor.Message} lists every
 * message it prints.
 *
 * <ol>
 *   <li>{@code structure}: the module tree a constructor or factory builds;
 *   <li>{@code trace}: the interpreter over javac trees that evaluates constructors (structure) and
 *       runs {@code forward} on symbolic values (graphs, with torchvision's node names); the only
 *       package that reads method bodies through {@code com.sun.source};
 *   <li>{@code validate}: return nodes against the traced graphs;
 *   <li>{@code generate}: the graph descriptor, the typed features and the extractor (JavaPoet).
 * </ol>
 *
 * <p>The processor never loads libtorch: it knows the presets' classes only as javac sees them.
 */
package dev.featurex.processor;
