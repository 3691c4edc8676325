/**
 * Running traced graphs on tensors: the contract between generated code and the runtime ({@link
 * dev.featurex.runtime.internal.TracedModel}, {@link
 * dev.featurex.runtime.internal.TracedConfiguration}, {@link
 * dev.featurex.runtime.internal.GraphProgram}) and the executor that runs pruned plans.
 */
package dev.featurex.runtime.execute;
