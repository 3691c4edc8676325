package dev.featurex.runtime;

/**
 * The checkpoint files {@link StateDict} reads and writes. Reading picks the format from the file's
 * first bytes, never from its name; see {@code docs/checkpoints.md}.
 */
public enum CheckpointFormat {

  /**
   * The zip archive that Python's {@code torch.save} writes since PyTorch 1.6 ({@code .pt}, {@code
   * .pth}): a pickle ({@code data.pkl}) that describes the tensors and one record per storage. Read
   * and written; what {@link StateDict#save} writes is read by {@code torch.load(path,
   * weights_only=True)}.
   */
  TORCH_ZIP,

  /**
   * The format of {@code torch.save} before PyTorch 1.6 (and of {@code
   * _use_new_zipfile_serialization=False}): pickles followed by the raw storages. Read only.
   */
  TORCH_LEGACY,

  /**
   * <a href="https://github.com/huggingface/safetensors">safetensors</a>: a little-endian header
   * length, a JSON header, then the raw little-endian data. Read and written.
   */
  SAFETENSORS
}
