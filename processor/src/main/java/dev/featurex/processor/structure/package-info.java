/**
 * The module tree of a traced configuration: {@link
 * dev.featurex.processor.structure.ModuleInstance} while the constructor runs (registration, {@code
 * push_back}), frozen into a {@link dev.featurex.processor.structure.ModuleTree} in {@code
 * named_modules()} order, whose signature generated code checks instances against.
 */
package dev.featurex.processor.structure;
