/**
 * What tracing produces, immutable and free of javac trees: configurations with their module trees,
 * train and eval graphs, the calls behind each node and their arguments, and the known values a
 * configuration assumed. {@code validate} and {@code generate} read only this.
 */
package dev.featurex.processor.model;
