package dev.featurex.runtime.weights;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes the {@code data.pkl} of a state dict as Python's {@code torch.save(model.state_dict())}
 * does, in pickle protocol 2: an {@code OrderedDict} whose values are {@code
 * torch._utils._rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())}, each
 * storage a persistent id {@code ('storage', torch.FloatStorage, '<n>', 'cpu', numel)}. Only
 * globals that {@code torch.load(weights_only=True)} allows, so Python loads it with the safe
 * loader.
 */
final class TorchPickler {

  /** One tensor to describe: its key, type, shape, and the key of its storage record. */
  record Item(String key, DType dtype, long[] shape, String storageKey) {}

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private TorchPickler() {}

  /** The pickle of the state dict {@code items}, in their order. */
  static byte[] pickle(List<Item> items) {
    TorchPickler p = new TorchPickler();
    p.op(0x80, 2); // PROTO 2
    p.global("collections", "OrderedDict");
    p.op(')', 'R'); // OrderedDict()
    for (int start = 0; start < items.size(); start += 1000) {
      p.op('(');
      for (Item item : items.subList(start, Math.min(items.size(), start + 1000))) {
        p.string(item.key());
        p.tensor(item);
      }
      p.op('u'); // SETITEMS
    }
    p.op('.');
    return p.out.toByteArray();
  }

  private void tensor(Item item) {
    global("torch._utils", "_rebuild_tensor_v2");
    op('(');
    op('(');
    string("storage");
    global("torch", item.dtype().storageClass());
    string(item.storageKey());
    string("cpu");
    integer(numel(item.shape()));
    op('t', 'Q'); // TUPLE, BINPERSID
    integer(0);
    longs(item.shape());
    longs(strides(item.shape()));
    op(0x89); // NEWFALSE: requires_grad
    global("collections", "OrderedDict");
    op(')', 'R'); // backward_hooks
    op('t', 'R');
  }

  private void longs(long[] values) {
    op('(');
    for (long v : values) {
      integer(v);
    }
    op('t');
  }

  static long numel(long[] shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    return n;
  }

  static long[] strides(long[] shape) {
    long[] stride = new long[shape.length];
    long step = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      stride[d] = step;
      step *= shape[d];
    }
    return stride;
  }

  private void global(String module, String name) {
    op('c');
    out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  private void string(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    op('X');
    int n = bytes.length;
    op(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
    out.writeBytes(bytes);
  }

  private void integer(long v) {
    if (v >= 0 && v < 256) {
      op('K', (int) v);
    } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
      op(
          'J',
          (int) v & 0xff,
          (int) (v >>> 8) & 0xff,
          (int) (v >>> 16) & 0xff,
          (int) (v >>> 24) & 0xff);
    } else {
      byte[] big = BigInteger.valueOf(v).toByteArray(); // big-endian two's complement
      op(0x8a, big.length); // LONG1
      for (int i = big.length - 1; i >= 0; i--) {
        out.write(big[i]);
      }
    }
  }

  private void op(int... bytes) {
    for (int b : bytes) {
      out.write(b);
    }
  }
}
