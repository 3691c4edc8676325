/**
 * The structure phase: the model's constructor or factory runs on the interpreter ({@link
 * dev.featurex.processor.structure.StructurePhase} follows registration), and the modules it built
 * are frozen into the model's module tree ({@link dev.featurex.processor.structure.ModuleTrees}),
 * as libtorch's {@code named_modules()} lists them.
 */
package dev.featurex.processor.structure;
