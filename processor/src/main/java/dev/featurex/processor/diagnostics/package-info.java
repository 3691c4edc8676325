/**
 * Every message the processor prints ({@link dev.featurex.processor.diagnostics.Message}), and the
 * {@link dev.featurex.processor.diagnostics.Reporter} that prints each once on the most specific
 * place: the tree in {@code forward}, the annotation value, the annotation, the element.
 */
package dev.featurex.processor.diagnostics;
