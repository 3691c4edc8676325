package dev.featurex.runtime.weights;

import dev.featurex.runtime.StateDictFormatException;
import dev.featurex.runtime.weights.PyValues.PyDict;
import dev.featurex.runtime.weights.PyValues.PyGlobal;
import dev.featurex.runtime.weights.PyValues.PyTuple;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle reader that can only build data: the opcodes of protocols 2 to 5 that {@code torch.save}
 * and libtorch's pickler write, over the values of {@link PyValues}; globals come from the
 * allowlist of {@link TorchGlobals} and persistent ids go to a {@link PersistentLoader}. It never
 * recurses (deeply nested input costs a list entry per level, not a stack frame), checks every
 * declared length against the bytes left, and refuses anything else with a {@link
 * StateDictFormatException} that names the file.
 *
 * <p>Why not a library: Pyrolite ({@code net.razorvine:pickle}), the maintained Java unpickler,
 * keeps its constructors in one static registry, turns any unknown global into a {@code ClassDict}
 * instead of refusing it, and allocates each declared length before reading it; constraining it
 * means overriding its dispatch, which is most of this class.
 */
final class SafeUnpickler {

  /** Resolves a persistent id (a storage, for {@code torch.save}). */
  @FunctionalInterface
  interface PersistentLoader {
    /** The value {@code pid} stands for. */
    Object load(Object pid) throws StateDictFormatException;
  }

  private static final Object MARK = new Object();

  private final PickleInput in;
  private final PersistentLoader persistent;
  private final List<Object> stack = new ArrayList<>();
  private int[] marks = new int[16];
  private int markCount;
  private final Map<Long, Object> memo = new HashMap<>();

  private SafeUnpickler(PickleInput in, PersistentLoader persistent) {
    this.in = in;
    this.persistent = persistent;
  }

  /** Reads one pickle from {@code in}, up to its STOP, and returns its value. */
  static Object load(PickleInput in, PersistentLoader persistent) throws StateDictFormatException {
    return new SafeUnpickler(in, persistent).run();
  }

  private Object run() throws StateDictFormatException {
    while (true) {
      int op = in.u8();
      if (op == '.') {
        if (stack.size() != 1 || markCount != 0) {
          throw in.corrupt(
              in.part()
                  + " stops with "
                  + stack.size()
                  + " values on its stack; the file is corrupt");
        }
        return stack.get(0);
      }
      if (!constant(op) && !container(op) && !reference(op)) {
        throw in.corrupt(
            String.format(
                "%s has the pickle opcode 0x%02x at byte %d, which no state dict uses; the file is"
                    + " corrupt or was not written by torch.save",
                in.part(), op, in.position() - 1));
      }
    }
  }

  /** Opcodes that push a constant. */
  private boolean constant(int op) throws StateDictFormatException {
    switch (op) {
      case 0x80 -> { // PROTO
        int protocol = in.u8();
        if (protocol > 5) {
          throw in.corrupt(in.part() + " is pickle protocol " + protocol + "; at most 5 is known");
        }
      }
      case 0x95 -> in.i64(); // FRAME: a length hint
      case 'N' -> push(null);
      case 0x88 -> push(Boolean.TRUE);
      case 0x89 -> push(Boolean.FALSE);
      case 'J' -> push((long) in.i32());
      case 'K' -> push((long) in.u8());
      case 'M' -> push((long) in.u16());
      case 0x8a -> push(bigInteger(in.u8())); // LONG1
      case 0x8b -> push(bigInteger(in.i32())); // LONG4
      case 'G' -> push(in.f64BigEndian());
      case 'X' -> push(utf8(in.bytes(unsigned(in.i32())))); // BINUNICODE
      case 0x8c -> push(utf8(in.bytes(in.u8()))); // SHORT_BINUNICODE
      case 0x8d -> push(utf8(in.bytes(in.i64()))); // BINUNICODE8
      case 'T' -> push(latin1(in.bytes(unsigned(in.i32())))); // BINSTRING (Python 2 str)
      case 'U' -> push(latin1(in.bytes(in.u8()))); // SHORT_BINSTRING
      case 'B' -> push(in.bytes(unsigned(in.i32()))); // BINBYTES
      case 'C' -> push(in.bytes(in.u8())); // SHORT_BINBYTES
      case 0x8e -> push(in.bytes(in.i64())); // BINBYTES8
      case 'c' -> push(TorchGlobals.resolve(in, in.line(), in.line())); // GLOBAL
      case 0x93 -> { // STACK_GLOBAL
        Object name = pop();
        Object module = pop();
        if (!(module instanceof String m && name instanceof String n)) {
          throw in.corrupt(
              "STACK_GLOBAL in " + in.part() + " is not given two str; the file is corrupt");
        }
        push(TorchGlobals.resolve(in, m, n));
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  /** Opcodes that build tuples, lists and dicts, and that call allowlisted globals. */
  private boolean container(int op) throws StateDictFormatException {
    switch (op) {
      case '(' -> mark();
      case ')' -> push(new PyTuple(List.of()));
      case 't' -> push(new PyTuple(popMark()));
      case 0x85, 0x86, 0x87 -> { // TUPLE1..3
        Object[] items = new Object[op - 0x84];
        for (int i = items.length - 1; i >= 0; i--) {
          items[i] = pop();
        }
        push(new PyTuple(Arrays.asList(items)));
      }
      case ']' -> push(new ArrayList<>());
      case 'l' -> push(new ArrayList<>(popMark()));
      case 'a' -> {
        Object item = pop();
        list(top()).add(item);
      }
      case 'e' -> {
        List<Object> items = popMark();
        list(top()).addAll(items);
      }
      case '}' -> push(new PyDict(false));
      case 'd' -> push(setItems(new PyDict(false), popMark()));
      case 's' -> {
        Object value = pop();
        Object key = pop();
        setItems(dict(top()), Arrays.asList(key, value));
      }
      case 'u' -> {
        List<Object> items = popMark();
        setItems(dict(top()), items);
      }
      case 'R', 0x81 -> { // REDUCE, NEWOBJ
        Object args = pop();
        Object function = pop();
        if (!(function instanceof PyGlobal global && args instanceof PyTuple tuple)) {
          throw in.corrupt(
              "a call in "
                  + in.part()
                  + " calls "
                  + PyValues.describe(function)
                  + " with "
                  + PyValues.describe(args)
                  + "; the file is corrupt");
        }
        push(TorchGlobals.call(in, global, tuple));
      }
      case 'b' -> { // BUILD
        Object state = pop();
        TorchGlobals.build(in, top(), state);
      }
      case 'Q' -> push(persistent.load(pop())); // BINPERSID
      default -> {
        return false;
      }
    }
    return true;
  }

  /** Stack and memo opcodes. */
  private boolean reference(int op) throws StateDictFormatException {
    switch (op) {
      case '0' -> pop();
      case '1' -> popMark();
      case '2' -> push(top());
      case 'q' -> memo.put((long) in.u8(), top());
      case 'r' -> memo.put(unsigned(in.i32()), top());
      case 0x94 -> memo.put((long) memo.size(), top()); // MEMOIZE
      case 'h' -> push(memo((long) in.u8()));
      case 'j' -> push(memo(unsigned(in.i32())));
      default -> {
        return false;
      }
    }
    return true;
  }

  private Object memo(long index) throws StateDictFormatException {
    if (!memo.containsKey(index)) {
      throw in.corrupt(
          in.part()
              + " refers to memo entry "
              + index
              + ", which it never stored; the file is corrupt");
    }
    return memo.get(index);
  }

  private PyDict setItems(PyDict dict, List<Object> items) throws StateDictFormatException {
    if (items.size() % 2 != 0) {
      throw in.corrupt(
          "a dict in " + in.part() + " has a key without a value; the file is corrupt");
    }
    for (int i = 0; i < items.size(); i += 2) {
      Object key = items.get(i);
      if (!(key == null
          || key instanceof String
          || key instanceof Long
          || key instanceof Boolean
          || key instanceof Double
          || key instanceof BigInteger)) {
        throw in.corrupt(
            "a dict in "
                + in.part()
                + " has "
                + PyValues.describe(key)
                + " as a key; a state dict's keys are str (and its checkpoint's, str or int)");
      }
      dict.entries.put(key, items.get(i + 1));
    }
    return dict;
  }

  @SuppressWarnings("unchecked")
  private List<Object> list(Object value) throws StateDictFormatException {
    if (value instanceof ArrayList<?> list) {
      return (List<Object>) list;
    }
    throw in.corrupt(
        "APPEND in " + in.part() + " to " + PyValues.describe(value) + "; the file is corrupt");
  }

  private PyDict dict(Object value) throws StateDictFormatException {
    if (value instanceof PyDict dict) {
      return dict;
    }
    throw in.corrupt(
        "SETITEM in " + in.part() + " on " + PyValues.describe(value) + "; the file is corrupt");
  }

  private void push(Object value) {
    stack.add(value);
  }

  private Object pop() throws StateDictFormatException {
    int floor = markCount == 0 ? 0 : marks[markCount - 1];
    if (stack.size() <= floor) {
      throw in.corrupt(in.part() + " pops a value from an empty stack; the file is corrupt");
    }
    return stack.remove(stack.size() - 1);
  }

  private Object top() throws StateDictFormatException {
    Object value = pop();
    push(value);
    return value;
  }

  private void mark() {
    if (markCount == marks.length) {
      marks = Arrays.copyOf(marks, marks.length * 2);
    }
    marks[markCount++] = stack.size();
  }

  private List<Object> popMark() throws StateDictFormatException {
    if (markCount == 0) {
      throw in.corrupt(in.part() + " closes a MARK it never opened; the file is corrupt");
    }
    int from = marks[--markCount];
    List<Object> tail = stack.subList(from, stack.size());
    List<Object> items = new ArrayList<>(tail);
    tail.clear();
    return items;
  }

  private Object bigInteger(long length) throws StateDictFormatException {
    if (length > 64) {
      throw in.corrupt(in.part() + " has an integer of " + length + " bytes; the file is corrupt");
    }
    byte[] bytes = in.bytes(length);
    if (bytes.length == 0) {
      return 0L;
    }
    byte[] bigEndian = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      bigEndian[i] = bytes[bytes.length - 1 - i];
    }
    BigInteger value = new BigInteger(bigEndian);
    return value.bitLength() < 64 ? (Object) value.longValue() : value;
  }

  private static long unsigned(int n) {
    return Integer.toUnsignedLong(n);
  }

  /** Decodes UTF-8; ASCII (nearly every key) without a decoder. */
  private static String utf8(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        // Python writes lone surrogates of odd file names with "surrogatepass"; keep the rest.
        return new String(bytes, StandardCharsets.UTF_8);
      }
    }
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
