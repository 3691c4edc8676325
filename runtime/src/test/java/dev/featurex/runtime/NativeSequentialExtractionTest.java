package dev.featurex.runtime;

import static com.google.common.truth.Truth.assertThat;
import static dev.featurex.runtime.KeepAlive.keep;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.featurex.runtime.execute.NodeExecutionException;
import dev.featurex.runtime.trace.NativeModule;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.FlattenImpl;
import org.bytedeco.pytorch.LSTMImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.MaxPool2dImpl;
import org.bytedeco.pytorch.MaxPool2dOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.TanhImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** SequentialImpl trees of built-in modules, traced at run time. */
class NativeSequentialExtractionTest {

  /** VGG-style: conv, relu, pool, conv, relu, pool, flatten, linear; input 1x3x16x16. */
  static SequentialImpl vggStyle() {
    torch.manual_seed(7);
    SequentialImpl features = new SequentialImpl();
    features.push_back(keep(conv(3, 8)));
    features.push_back(keep(new ReLUImpl()));
    features.push_back(keep(pool()));
    features.push_back(keep(conv(8, 16)));
    features.push_back(keep(new ReLUImpl()));
    features.push_back(keep(pool()));
    features.push_back(keep(new FlattenImpl()));
    features.push_back(keep(new LinearImpl(16 * 4 * 4, 10)));
    return features;
  }

  private static Conv2dImpl conv(long in, long out) {
    Conv2dOptions options = new Conv2dOptions(in, out, new LongPointer(3L, 3L));
    options.padding().put(new LongPointer(1L, 1L));
    return new Conv2dImpl(options);
  }

  private static MaxPool2dImpl pool() {
    MaxPool2dOptions options = new MaxPool2dOptions(new LongPointer(2L, 2L));
    options.stride().put(new long[] {2, 2});
    return new MaxPool2dImpl(options);
  }

  @Test
  void sequentialNodesAreNamedByIndex() {
    try (LogCapture log = new LogCapture()) {
      GraphNodeNames names = FeatureExtraction.getGraphNodeNames(vggStyle());
      assertThat(names.train())
          .containsExactly("x", "0", "1", "2", "3", "4", "5", "6", "7")
          .inOrder();
      assertThat(names.eval()).isEqualTo(names.train());
      assertThat(log.warnings()).isEmpty();
    }
  }

  @Test
  void theTreeIsReadInForwardOrderAndRegisteredOnlyChildrenAreNotCalled() {
    SequentialImpl model = new SequentialImpl();
    model.push_back(keep(new ReLUImpl()));
    SequentialImpl inner = new SequentialImpl();
    inner.push_back(keep(new TanhImpl()));
    model.register_module(
        "side", keep(inner)); // in the tree, but Sequential::forward never calls it
    model.push_back(keep(new LinearImpl(2, 2)));

    NativeModule tree = NativeModule.read(model);
    assertThat(tree.isSequential()).isTrue();
    assertThat(tree.sequence())
        .containsExactly(
            NativeModule.leaf("0", "torch::nn::ReLUImpl"),
            NativeModule.leaf("1", "torch::nn::LinearImpl"))
        .inOrder();
    assertThat(FeatureExtraction.getGraphNodeNames(model).eval())
        .containsExactly("x", "0", "1")
        .inOrder();
  }

  @SuppressWarnings("try") // a PointerScope works by being open, never named
  @Test
  void extractedFeaturesEqualRunningTheModulesByHand() {
    SequentialImpl model = vggStyle();
    model.eval();
    FeatureExtractor extractor =
        FeatureExtraction.createFeatureExtractor(
            model, Map.of("1", "relu1", "4", "relu2", "7", "logits"));
    try (PointerScope scope = new PointerScope()) {
      Tensor x = torch.randn(1, 3, 16, 16);
      Map<String, Tensor> out = extractor.forward(x);
      assertThat(out.keySet()).containsExactly("relu1", "relu2", "logits").inOrder();

      Tensor relu1 = model.ptr(1).asReLU().forward(model.ptr(0).asConv2d().forward(x));
      Tensor pooled = model.ptr(2).asMaxPool2d().forward(relu1);
      Tensor relu2 = model.ptr(4).asReLU().forward(model.ptr(3).asConv2d().forward(pooled));
      Tensor flat = model.ptr(6).asFlatten().forward(model.ptr(5).asMaxPool2d().forward(relu2));
      Tensor logits = model.ptr(7).asLinear().forward(flat);
      assertThat(torch.equal(out.get("relu1"), relu1)).isTrue();
      assertThat(torch.equal(out.get("relu2"), relu2)).isTrue();
      assertThat(torch.equal(out.get("logits"), logits)).isTrue();
      assertThat(torch.equal(out.get("logits"), model.forward(x))).isTrue();
    }
  }

  @SuppressWarnings("try") // a PointerScope works by being open, never named
  @Test
  void modulesAfterTheLastRequestedNodeNeverRun() {
    SequentialImpl model = new SequentialImpl();
    model.push_back(keep(new LinearImpl(4, 4)));
    model.push_back(keep(new ReLUImpl()));
    model.push_back(keep(new LinearImpl(5, 2))); // wrong width: running it would fail
    model.push_back(keep(new LSTMImpl(2, 2))); // no one-tensor forward: binding it would fail

    FeatureExtractor early = FeatureExtraction.createFeatureExtractor(model, List.of("1"));
    assertThat(early.computedNodes(true)).containsExactly("0", "1").inOrder();
    try (PointerScope scope = new PointerScope()) {
      Tensor x = torch.randn(3, 4);
      Tensor expected = model.ptr(1).asReLU().forward(model.ptr(0).asLinear().forward(x));
      assertThat(torch.equal(early.forward(x).get("1"), expected)).isTrue();
    }

    FeatureExtractor late = FeatureExtraction.createFeatureExtractor(model, List.of("2"));
    NodeExecutionException failure =
        assertThrows(NodeExecutionException.class, () -> late.forward(torch.randn(3, 4)));
    assertThat(failure).hasMessageThat().startsWith("node \"2\" (call_module 2) failed: ");
    assertThat(failure.node()).isEqualTo("2");
  }

  @Test
  void aModuleWithoutOneTensorForwardIsNamedWithTheWayOut() {
    SequentialImpl model = new SequentialImpl();
    model.push_back(keep(new LinearImpl(4, 4)));
    model.push_back(keep(new LSTMImpl(4, 4)));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FeatureExtraction.createFeatureExtractor(model, List.of("1")));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            "module \"1\" (torch::nn::LSTMImpl) has no one-tensor forward that the runtime can"
                + " call; make it a leaf of a Java model annotated with"
                + " @dev.featurex.annotations.Traceable, whose forward calls it as it needs");
  }

  @SuppressWarnings("try") // a PointerScope works by being open, never named
  @Test
  void theExtractorStartsInTheModelsModeAndSwitchesItsModules() {
    torch.manual_seed(3);
    SequentialImpl model = new SequentialImpl();
    model.push_back(keep(new LinearImpl(64, 64)));
    model.push_back(keep(new DropoutImpl(0.5)));
    model.eval();
    FeatureExtractor extractor = FeatureExtraction.createFeatureExtractor(model, List.of("1"));
    assertThat(extractor.is_training()).isFalse();

    try (PointerScope scope = new PointerScope()) {
      Tensor x = torch.randn(8, 64);
      Tensor linear = model.ptr(0).asLinear().forward(x);
      assertThat(torch.equal(extractor.forward(x).get("1"), linear)).isTrue();

      extractor.train(true);
      assertThat(model.ptr(1).is_training()).isTrue();
      Tensor dropped = extractor.forward(x).get("1");
      assertThat(torch.equal(dropped, linear)).isFalse();
      assertThat(dropped.eq(new org.bytedeco.pytorch.Scalar(0.0)).any().item_bool()).isTrue();

      extractor.eval();
      assertThat(model.ptr(1).is_training()).isFalse();
      assertThat(torch.equal(extractor.forward(x).get("1"), linear)).isTrue();
    }

    model.train(true);
    assertThat(FeatureExtraction.createFeatureExtractor(model, List.of("0")).is_training())
        .isTrue();
  }

  @Test
  void theExtractorSharesTheModelsParameters() {
    SequentialImpl model = vggStyle();
    FeatureExtractor extractor = FeatureExtraction.createFeatureExtractor(model, List.of("7"));
    TensorVector mine = extractor.parameters();
    TensorVector theirs = model.parameters();
    assertThat(mine.size()).isEqualTo(theirs.size());
    for (long i = 0; i < mine.size(); i++) {
      assertThat(mine.get(i).data_ptr().address()).isEqualTo(theirs.get(i).data_ptr().address());
    }
  }

  @Test
  void aPlainModuleIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FeatureExtraction.getGraphNodeNames(new Module()));
    assertThat(e)
        .hasMessageThat()
        .isEqualTo(
            "this model is a plain org.bytedeco.pytorch.Module: an empty Module, or a module"
                + " written in Java seen through a wrapper (named_modules() and named_children()"
                + " return such wrappers, which lose the Java class). Pass the Java model object"
                + " itself, whose class is annotated with @dev.featurex.annotations.Traceable");
  }

  @Test
  void aBuiltInLeafAsRootIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FeatureExtraction.getGraphNodeNames(new LinearImpl(2, 2)));
    assertThat(e)
        .hasMessageThat()
        .startsWith("a torch::nn::LinearImpl cannot be traced at run time");
  }
}
