package dev.featurex.graph;

import static com.google.common.truth.Truth.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /**
   * torchvision's rule written the slow way, a regular expression per earlier name: the dot of a
   * name matches any character. NodeNamer must give the same names without regular expressions.
   */
  private static List<String> byRegex(List<String> qualnames) {
    List<String> names = new ArrayList<>();
    for (String qualname : qualnames) {
      String name =
          qualname.matches(".+_[0-9]+")
              ? qualname.substring(0, qualname.lastIndexOf('_'))
              : qualname;
      Pattern repeat = Pattern.compile(name + "(_[0-9]+)?");
      String indexed = name;
      for (int i = names.size() - 1; i >= 0; i--) {
        Matcher m = repeat.matcher(names.get(i));
        if (m.matches()) {
          String postfix = m.group(1);
          indexed = name + "_" + (postfix == null ? 1 : Long.parseLong(postfix.substring(1)) + 1);
          break;
        }
      }
      for (int k = 1; names.contains(indexed); k++) {
        indexed = name + "_" + k;
      }
      names.add(indexed);
    }
    return names;
  }

  @Test
  void namesEqualTorchvisionsRegularExpressionRuleOnRandomNames() {
    Random random = new Random(7);
    String[] parts = {"a", "b", "a_1", "a.b", "a_b", "ab", "0", "1", "_2", ".", "_", "a1"};
    for (int round = 0; round < 300; round++) {
      List<String> qualnames = new ArrayList<>();
      NodeNamer namer = new NodeNamer();
      for (int i = 0; i < 40; i++) {
        StringBuilder name = new StringBuilder();
        for (int k = 1 + random.nextInt(3); k > 0; k--) {
          name.append(parts[random.nextInt(parts.length)]);
        }
        qualnames.add(name.toString());
        namer.moduleCall(name.toString());
      }
      assertThat(namer.names()).containsExactlyElementsIn(byRegex(qualnames)).inOrder();
    }
  }

  @Test
  void indexBeyondLongIsCountedOn() {
    NodeNamer namer = new NodeNamer();
    assertThat(namer.moduleCall("relu_99999999999999999999_1"))
        .isEqualTo("relu_99999999999999999999");
    assertThat(namer.moduleCall("relu")).isEqualTo("relu_100000000000000000000");
    assertThat(namer.moduleCall("relu(x)")).isEqualTo("relu(x)");
  }
}
