package dev.featurex.models.parity;

import dev.featurex.models.AlexNet;
import dev.featurex.models.ConvNeXt;
import dev.featurex.models.DenseNet;
import dev.featurex.models.EfficientNet;
import dev.featurex.models.GoogLeNet;
import dev.featurex.models.Inception3;
import dev.featurex.models.MNASNet;
import dev.featurex.models.MobileNetV2;
import dev.featurex.models.MobileNetV3;
import dev.featurex.models.RegNet;
import dev.featurex.models.ResNet;
import dev.featurex.models.ShuffleNetV2;
import dev.featurex.models.SqueezeNet;
import dev.featurex.models.SwinTransformer;
import dev.featurex.models.Vgg;
import dev.featurex.models.VisionTransformer;
import dev.featurex.runtime.Natives;
import dev.featurex.runtime.StateDict;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The zoo's side of {@code models/parity/run.sh}: loads torchvision's state dict of each named
 * model into the Java model built by the builder of the same name, strictly, and checks that its
 * logits on torchvision's input are allclose to torchvision's: {@code rtol 1e-4}, and {@code atol
 * 1e-4} times the largest logit's magnitude (at least 1), since float32 kernels that sum in another
 * order differ in proportion to the values they sum, not to each logit. Not a test: it needs files
 * that only Python writes.
 *
 * <pre>
 * ZooParity --list            the models it knows, space-separated
 * ZooParity DIR NAME [NAME]   checks NAME.pt and NAME_io.pt in DIR; exit status 1 if any fails
 * </pre>
 */
public final class ZooParity {

  private static final double RTOL = 1e-4;
  private static final double ATOL = 1e-4;

  /**
   * Each torchvision builder name with the zoo class whose static method of that name builds it.
   */
  static final Map<String, Class<? extends Module>> MODELS = new LinkedHashMap<>();

  static {
    for (String n :
        List.of(
            "resnet18",
            "resnet34",
            "resnet50",
            "resnet101",
            "resnet152",
            "resnext50_32x4d",
            "wide_resnet50_2")) {
      MODELS.put(n, ResNet.class);
    }
    for (String n :
        List.of(
            "vgg11", "vgg13", "vgg16", "vgg19", "vgg11_bn", "vgg13_bn", "vgg16_bn", "vgg19_bn")) {
      MODELS.put(n, Vgg.class);
    }
    MODELS.put("alexnet", AlexNet.class);
    MODELS.put("squeezenet1_0", SqueezeNet.class);
    MODELS.put("squeezenet1_1", SqueezeNet.class);
    MODELS.put("mobilenet_v2", MobileNetV2.class);
    MODELS.put("mobilenet_v3_large", MobileNetV3.class);
    MODELS.put("mobilenet_v3_small", MobileNetV3.class);
    for (int b = 0; b <= 7; b++) {
      MODELS.put("efficientnet_b" + b, EfficientNet.class);
    }
    for (String n : List.of("mnasnet0_5", "mnasnet0_75", "mnasnet1_0", "mnasnet1_3")) {
      MODELS.put(n, MNASNet.class);
    }
    for (String n : List.of("densenet121", "densenet161", "densenet169", "densenet201")) {
      MODELS.put(n, DenseNet.class);
    }
    for (String n :
        List.of(
            "regnet_y_400mf",
            "regnet_y_800mf",
            "regnet_y_1_6gf",
            "regnet_y_3_2gf",
            "regnet_x_400mf",
            "regnet_x_800mf",
            "regnet_x_1_6gf",
            "regnet_x_3_2gf")) {
      MODELS.put(n, RegNet.class);
    }
    for (String n :
        List.of(
            "shufflenet_v2_x0_5",
            "shufflenet_v2_x1_0",
            "shufflenet_v2_x1_5",
            "shufflenet_v2_x2_0")) {
      MODELS.put(n, ShuffleNetV2.class);
    }
    MODELS.put("googlenet", GoogLeNet.class);
    MODELS.put("inception_v3", Inception3.class);
    MODELS.put("convnext_tiny", ConvNeXt.class);
    MODELS.put("convnext_small", ConvNeXt.class);
    MODELS.put("vit_b_16", VisionTransformer.class);
    MODELS.put("swin_t", SwinTransformer.class);
  }

  private ZooParity() {}

  /** See the class comment. */
  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("--list")) {
      System.out.println(String.join(" ", MODELS.keySet()));
      return;
    }
    if (args.length < 2) {
      System.err.println("usage: ZooParity --list | ZooParity DIR NAME [NAME ...]");
      System.exit(2);
    }
    Natives.extract();
    Path dir = Path.of(args[0]);
    boolean passed = true;
    for (int i = 1; i < args.length; i++) {
      passed &= check(dir, args[i]);
    }
    System.exit(passed ? 0 : 1);
  }

  private static boolean check(Path dir, String name) throws Exception {
    Class<? extends Module> family = MODELS.get(name);
    if (family == null) {
      System.out.println("featurex " + name + ": FAILED, not a model of the zoo; see --list");
      return false;
    }
    try (PointerScope scope = new PointerScope();
        NoGradGuard noGrad = new NoGradGuard()) {
      Module model = (Module) family.getMethod(name).invoke(null);
      StateDict.load(model, dir.resolve(name + ".pt")); // strict: every key, every shape
      model.eval();
      Map<String, Tensor> io = StateDict.read(dir.resolve(name + "_io.pt"));
      Tensor logits = logits(family, model, io.get("x"));
      Tensor expected = io.get("logits");
      double maxAbs = torch.max(logits.sub(expected).abs()).item().toDouble();
      double scale = torch.max(expected.abs()).item().toDouble();
      boolean close = torch.allclose(logits, expected, RTOL, ATOL * Math.max(1, scale), false);
      System.out.printf(
          Locale.ROOT,
          "featurex %s: state dict loaded strictly; logits %s torchvision's (largest difference %.2e,"
              + " largest logit %.2e)%s%n",
          name,
          close ? "allclose to" : "DIFFER from",
          maxAbs,
          scale,
          close ? "" : " FAILED");
      return close;
    } catch (RuntimeException e) {
      // A state dict mismatch lists every key with both shapes: the first lines say enough.
      String message = String.join("\n", e.toString().lines().limit(4).toList());
      System.out.println(
          "featurex "
              + name
              + ": FAILED, "
              + message.substring(0, Math.min(message.length(), 600)));
      return false;
    }
  }

  /** The model's logits: its {@code forward}'s tensor, or the {@code logits()} of its record. */
  private static Tensor logits(Class<?> family, Module model, Tensor x)
      throws ReflectiveOperationException {
    Method forward = family.getMethod("forward", Tensor.class);
    Object out;
    try {
      out = forward.invoke(model, x);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
    if (out instanceof Tensor t) {
      return t;
    }
    return (Tensor) out.getClass().getMethod("logits").invoke(out);
  }
}
