package dev.featurex.runtime.internal;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.featurex.graph.NodeTraits;
import dev.featurex.graph.Records;
import java.util.List;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** A program table reads back what the processor wrote, and binds its slots on a model. */
class ProgramTableTest {

  /** A model holding its children in fields: JavaCPP frees a child no Java object reaches. */
  private static final class Net extends Module {
    final Conv2dImpl conv = register_module("conv", new Conv2dImpl(3, 4, new LongPointer(1L, 1L)));
    final BatchNorm2dImpl bn = register_module("bn", new BatchNorm2dImpl(new BatchNormOptions(4)));
  }

  private static final Net MODEL = new Net();

  private static final List<NodeTraits> TRAITS =
      List.of(
          new NodeTraits(NodeTraits.Handle.BORROWED, false, List.of(), NodeTraits.Role.NONE),
          new NodeTraits(NodeTraits.Handle.OWNED, true, List.of(), NodeTraits.Role.CONVOLUTION),
          new NodeTraits(NodeTraits.Handle.OWNED, true, List.of(1, 0), NodeTraits.Role.NONE));

  private static String[] text(List<List<String>> records) {
    return Records.chunks(Records.encode(records)).toArray(String[]::new);
  }

  private static ProgramTable table(List<List<String>> nodes, List<List<String>> bindings) {
    return new ProgramTable(
        text(nodes),
        text(bindings),
        Records.chunks(NodeTraits.encode(TRAITS)).toArray(String[]::new));
  }

  private static final List<List<String>> NODES =
      List.of(List.of("", "", "", ""), List.of("0", "", "0", "0"), List.of("1", "0", "", "2,1"));

  private static final List<List<String>> BINDINGS =
      List.of(
          List.of("module", "conv", "asConv2d"),
          List.of("parameter", "conv.weight"),
          List.of("buffer", "bn.running_mean"));

  @Test
  void readsEachNodesShapeOperandsAndModule() {
    ProgramTable table = table(NODES, BINDINGS);
    assertThat(table.shape(0)).isEqualTo(-1);
    assertThat(table.shape(2)).isEqualTo(1);
    assertThat(table.inPlaceShape(1)).isEqualTo(-1);
    assertThat(table.inPlaceShape(2)).isEqualTo(0);
    assertThat(table.operands(0)).isEmpty();
    assertThat(table.operands(2)).asList().containsExactly(2, 1).inOrder();
    assertThat(table.overwrittenIndex(2, 0)).isEqualTo(1);
    assertThat(table.overwrittenIndex(2, 5)).isEqualTo(-1);
    assertThat(table.traits()).isEqualTo(TRAITS);

    Object[] bound = table.bind(MODEL);
    assertThat(bound[0]).isInstanceOf(Conv2dImpl.class);
    assertThat(((Tensor) bound[1]).size(0)).isEqualTo(4);
    assertThat(((Tensor) bound[2]).numel()).isEqualTo(4);
    assertThat(table.module(1, bound)).isSameInstanceAs(bound[0]);
    assertThat(table.module(2, bound)).isNull();
  }

  @Test
  void aModelWithoutABoundModuleIsNamed() {
    ProgramTable table = table(NODES, List.of(List.of("module", "layer1.conv", "asConv2d")));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> table.bind(MODEL));
    assertThat(e).hasMessageThat().isEqualTo("the model has no module \"layer1.conv\"");
  }

  @Test
  void aViewThePresetsLackNamesTheVersionMismatch() {
    ProgramTable table = table(NODES, List.of(List.of("module", "conv", "asConv9d")));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> table.bind(MODEL));
    assertThat(e).hasMessageThat().contains("no public Module.asConv9d()");
    assertThat(e).hasMessageThat().contains("another version of org.bytedeco:pytorch");
  }

  @Test
  void malformedTablesAreRefusedWithTheRecord() {
    ProgramTable shortRecord = table(List.of(List.of("0", "")), BINDINGS);
    assertThat(assertThrows(IllegalArgumentException.class, () -> shortRecord.shape(0)))
        .hasMessageThat()
        .contains("not a program table record");
    ProgramTable fewerNodes = table(NODES.subList(0, 2), BINDINGS);
    assertThat(assertThrows(IllegalArgumentException.class, () -> fewerNodes.shape(0)))
        .hasMessageThat()
        .isEqualTo("a program table of 2 nodes has traits for 3");
    ProgramTable badBinding = table(NODES, List.of(List.of("field", "x")));
    assertThat(assertThrows(IllegalArgumentException.class, () -> badBinding.bind(MODEL)))
        .hasMessageThat()
        .isEqualTo("not a binding record: [field, x]");
  }
}
