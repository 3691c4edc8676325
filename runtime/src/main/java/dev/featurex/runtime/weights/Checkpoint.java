package dev.featurex.runtime.weights;

import dev.featurex.runtime.CheckpointFormat;
import java.nio.file.Path;

/**
 * A checkpoint file as read, before any tensor data is: the value its pickle (or header) holds,
 * with {@link TensorRef}s for the tensors.
 *
 * @param file the file
 * @param format its format
 * @param root the value the file holds: a {@link PyValues.PyDict} for a state dict or a training
 *     checkpoint, anything of {@link PyValues} otherwise
 */
record Checkpoint(Path file, CheckpointFormat format, Object root) {}
