package dev.featurex.runtime.weights;

import java.util.Arrays;
import java.util.Optional;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The element types a checkpoint may hold, with their names in each format: PyTorch's storage class
 * ({@code torch.FloatStorage}), its dtype ({@code torch.float32}), the safetensors code ({@code
 * F32}) and libtorch's {@link ScalarType}. Anything else (complex, quantized, float8) is refused by
 * the readers with a message naming it.
 */
public enum DType {
  /** {@code torch.float32}. */
  FLOAT32("FloatStorage", "float32", "F32", 4, ScalarType.Float),
  /** {@code torch.float16}. */
  FLOAT16("HalfStorage", "float16", "F16", 2, ScalarType.Half),
  /** {@code torch.bfloat16}. */
  BFLOAT16("BFloat16Storage", "bfloat16", "BF16", 2, ScalarType.BFloat16),
  /** {@code torch.float64}. */
  FLOAT64("DoubleStorage", "float64", "F64", 8, ScalarType.Double),
  /** {@code torch.int64}. */
  INT64("LongStorage", "int64", "I64", 8, ScalarType.Long),
  /** {@code torch.int32}. */
  INT32("IntStorage", "int32", "I32", 4, ScalarType.Int),
  /** {@code torch.int16}. */
  INT16("ShortStorage", "int16", "I16", 2, ScalarType.Short),
  /** {@code torch.int8}. */
  INT8("CharStorage", "int8", "I8", 1, ScalarType.Char),
  /** {@code torch.uint8}. */
  UINT8("ByteStorage", "uint8", "U8", 1, ScalarType.Byte),
  /** {@code torch.bool}: one byte per element, 0 or 1. */
  BOOL("BoolStorage", "bool", "BOOL", 1, ScalarType.Bool);

  private final String storageClass;
  private final String torchName;
  private final String safetensorsName;
  private final int size;
  private final ScalarType scalarType;

  DType(String storageClass, String torchName, String safetensorsName, int size, ScalarType type) {
    this.storageClass = storageClass;
    this.torchName = torchName;
    this.safetensorsName = safetensorsName;
    this.size = size;
    this.scalarType = type;
  }

  /** The bytes of one element. */
  public int size() {
    return size;
  }

  /** PyTorch's name, as in {@code torch.float32}: {@code "float32"}. */
  public String torchName() {
    return torchName;
  }

  /** The storage class that {@code torch.save} names, as in {@code torch.FloatStorage}. */
  public String storageClass() {
    return storageClass;
  }

  /** The dtype code of the safetensors header, as in {@code "F32"}. */
  public String safetensorsName() {
    return safetensorsName;
  }

  /** libtorch's scalar type. */
  public ScalarType scalarType() {
    return scalarType;
  }

  /** The type whose storage class is {@code name} ({@code "FloatStorage"}), if supported. */
  public static Optional<DType> ofStorageClass(String name) {
    return Arrays.stream(values()).filter(d -> d.storageClass.equals(name)).findFirst();
  }

  /** The type whose PyTorch name is {@code name} ({@code "float32"}), if supported. */
  public static Optional<DType> ofTorchName(String name) {
    return Arrays.stream(values()).filter(d -> d.torchName.equals(name)).findFirst();
  }

  /** The type whose safetensors code is {@code code} ({@code "F32"}), if supported. */
  public static Optional<DType> ofSafetensors(String code) {
    return Arrays.stream(values()).filter(d -> d.safetensorsName.equals(code)).findFirst();
  }

  /**
   * The type of libtorch's {@code type}, if supported; compared by value, as the presets return
   * enum instances of their own.
   */
  public static Optional<DType> of(ScalarType type) {
    return Arrays.stream(values()).filter(d -> d.scalarType.value == type.value).findFirst();
  }
}
