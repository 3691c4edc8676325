/**
 * The interpreter over javac trees and the forward phase. {@link
 * dev.featurex.processor.trace.Statements} and {@link dev.featurex.processor.trace.Expressions} are
 * visitors with one method per construct; a {@link dev.featurex.processor.trace.Frame} is the state
 * each construct is evaluated with; {@link dev.featurex.processor.trace.Value}s carry their own
 * behaviour; a {@link dev.featurex.processor.trace.Phase} says what differs between building the
 * model and running {@code forward}. {@link dev.featurex.processor.trace.ForwardPhase} records the
 * graph with torchvision's node names.
 */
package dev.featurex.processor.trace;
