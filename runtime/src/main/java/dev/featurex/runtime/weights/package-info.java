/**
 * The checkpoint readers and writers behind {@link dev.featurex.runtime.StateDict}, in pure Java:
 * not an API of its own (its public types serve the runtime package and may change).
 *
 * <p>The pipeline: {@link dev.featurex.runtime.weights.CheckpointFile} recognises the format
 * ({@code FormatDetector}), reads the structure ({@code TorchZipReader} over {@code ZipArchive},
 * {@code LegacyReader}, {@code SafetensorsReader}; pickles through the allowlisting {@code
 * SafeUnpickler}), finds the state dict ({@code StateDictSelector}) as {@link
 * dev.featurex.runtime.weights.TensorRef}s, and only then reads the storages in bulk ({@code
 * RecordReader}). {@link dev.featurex.runtime.weights.CheckpointWriter} writes the torch zip
 * archive ({@code TorchPickler}, {@code ZipWriter}) and safetensors. See {@code
 * docs/checkpoints.md} for the formats and the safety rules.
 */
package dev.featurex.runtime.weights;
