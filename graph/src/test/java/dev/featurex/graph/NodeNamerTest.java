package dev.featurex.graph;

import static com.google.common.truth.Truth.assertThat;

import org.junit.jupiter.api.Test;

class NodeNamerTest {

  /**
   * torchvision's test module: TestSubModule's forward does {@code x + 1} twice and calls {@code
   * self.relu} twice; TestModule calls the submodule, then does the same at its own level. torch.fx
   * names the ops {@code add}, {@code add_1}, {@code add_2}, ... globally.
   */
  @Test
  void torchvisionTestModuleGetsTorchvisionsNames() {
    NodeNamer namer = new NodeNamer();
    namer.op("", "x");
    namer.op("submodule", "add");
    namer.op("submodule", "add_1");
    namer.moduleCall("submodule.relu");
    namer.moduleCall("submodule.relu");
    namer.op("", "add_2");
    namer.op("", "add_3");
    namer.moduleCall("relu");
    namer.moduleCall("relu");

    assertThat(namer.names())
        .containsExactly(
            "x",
            "submodule.add",
            "submodule.add_1",
            "submodule.relu",
            "submodule.relu_1",
            "add",
            "add_1",
            "relu",
            "relu_1")
        .inOrder();
  }

  @Test
  void repeatedLeafCallCountsFromTheLatestSuffix() {
    NodeNamer namer = new NodeNamer();
    assertThat(namer.moduleCall("layer1.0.relu")).isEqualTo("layer1.0.relu");
    assertThat(namer.moduleCall("layer1.0.relu")).isEqualTo("layer1.0.relu_1");
    assertThat(namer.moduleCall("layer1.0.relu")).isEqualTo("layer1.0.relu_2");
    assertThat(namer.moduleCall("layer1.1.relu")).isEqualTo("layer1.1.relu");
  }

  @Test
  void opNamesAreScopedByTheirModule() {
    NodeNamer namer = new NodeNamer();
    assertThat(namer.op("layer1.0", "add")).isEqualTo("layer1.0.add");
    assertThat(namer.op("layer1.1", "add_1")).isEqualTo("layer1.1.add");
    assertThat(namer.op("", "flatten")).isEqualTo("flatten");
  }

  @Test
  void namesThatWouldBacktrackForEverAreMatchedLiterally() {
    NodeNamer namer = new NodeNamer();
    String odd = "(.*a){20}";
    for (int i = 0; i < 3; i++) {
      namer.moduleCall("a".repeat(60));
    }
    assertThat(namer.op(odd, "add")).isEqualTo(odd + ".add");
    assertThat(namer.op(odd, "add")).isEqualTo(odd + ".add_1");
  }

  @Test
  void namesThatDoNotMatchThemselvesAsPatternsStayUnique() {
    NodeNamer namer = new NodeNamer();
    assertThat(namer.moduleCall("(x*a){9}+")).isEqualTo("(x*a){9}+");
    assertThat(namer.moduleCall("(x*a){9}+")).isEqualTo("(x*a){9}+_1");
    assertThat(namer.moduleCall("(x*a){9}+")).isEqualTo("(x*a){9}+_2");
  }
}
