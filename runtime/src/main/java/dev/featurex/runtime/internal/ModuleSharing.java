package dev.featurex.runtime.internal;

import dev.featurex.graph.ModuleTreeSignature;
import dev.featurex.runtime.execute.ModuleTrees;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.StringSharedModuleDict;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;

/**
 * How an extractor shares its model: it registers the model's top-level children, parameters and
 * buffers on itself (the same native objects, never copies), so that {@code parameters()} are the
 * model's and {@code train()}/{@code eval()} reach the model's modules; it starts in the model's
 * mode. Typed extractors also check first that the instance is the configuration they were
 * generated for.
 */
public final class ModuleSharing {

  private ModuleSharing() {}

  /** Shares {@code model}'s modules, parameters and buffers with {@code extractor}. */
  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  public static void share(Module extractor, Module model) {
    try (PointerScope scope = new PointerScope()) {
      StringSharedModuleDict children = model.named_children();
      for (long i = 0; i < children.size(); i++) {
        var item = children.get(i);
        extractor.register_module(item.key().getString(), item.value());
      }
      StringTensorDict parameters = model.named_parameters(false);
      for (long i = 0; i < parameters.size(); i++) {
        var item = parameters.get(i);
        Tensor parameter = item.value();
        extractor.register_parameter(item.key().getString(), parameter, parameter.requires_grad());
      }
      StringTensorDict buffers = model.named_buffers(false);
      for (long i = 0; i < buffers.size(); i++) {
        var item = buffers.get(i);
        extractor.register_buffer(item.key().getString(), item.value());
      }
    }
    extractor.train(model.is_training());
  }

  /**
   * For a typed extractor: checks that {@code model} is the configuration traced as {@code
   * configuration}, shares it, and returns the bindings for the extractor's leaves.
   *
   * @throws IllegalArgumentException naming the first difference and the factory that was traced
   */
  public static Bindings shareChecked(
      Module extractor, Module model, TracedConfiguration configuration) {
    List<String> expected = configuration.moduleTree();
    String difference = ModuleTreeSignature.firstDifference(expected, ModuleTrees.describe(model));
    if (difference != null) {
      String factory = configuration.factory();
      throw new IllegalArgumentException(
          "this "
              + model.getClass().getSimpleName()
              + " is not the configuration featurex traced ("
              + factory
              + "), whose "
              + difference
              + ". Build the model with "
              + factory
              + ", or add the factory that builds it to the annotation.");
    }
    String mismatch = configuration.mismatch(model);
    if (mismatch != null) {
      throw new IllegalArgumentException(
          "this "
              + model.getClass().getSimpleName()
              + " is not the configuration featurex traced ("
              + configuration.factory()
              + "): "
              + mismatch
              + ", and forward depends on it. Build the model with "
              + configuration.factory()
              + ", or add the factory that builds it to the annotation.");
    }
    share(extractor, model);
    return Bindings.of(model);
  }
}
