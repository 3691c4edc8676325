package dev.featurex.samples;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.StringSharedModuleDict;
import org.bytedeco.pytorch.TensorVector;

/** The README's demo: builds ResNet-18 and prints its module tree and parameter count. */
public final class Demo {

  private Demo() {}

  /** Runs the demo. */
  public static void main(String[] args) {
    ResNet model = ResNet.resnet18();
    System.out.println("ResNet-18 module tree (qualified name: type):");
    StringSharedModuleDict modules = model.named_modules();
    for (long i = 1; i < modules.size(); i++) {
      var item = modules.get(i);
      System.out.printf("  %-24s %s%n", item.key().getString(), item.value().name().getString());
    }
    System.out.printf("parameters: %,d%n", parameterCount(model));
  }

  static long parameterCount(Module module) {
    TensorVector parameters = module.parameters();
    long count = 0;
    for (long i = 0; i < parameters.size(); i++) {
      count += parameters.get(i).numel();
    }
    return count;
  }
}
