/**
 * Running traced graphs on tensors: the contract between generated code and the runtime ({@link
 * dev.featurex.runtime.execute.TracedModel}, {@link
 * dev.featurex.runtime.execute.TracedConfiguration}, {@link
 * dev.featurex.runtime.execute.GraphProgram}) and the executor that runs pruned plans.
 */
package dev.featurex.runtime.execute;
