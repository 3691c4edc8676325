package dev.featurex.samples.bench;

import dev.featurex.models.ResNet;
import dev.featurex.runtime.Threads;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What every benchmark runs on: a ResNet-18 in eval mode built on seed 0, one 1x3x224x224 input,
 * gradients off, and libtorch's intra-op pool fixed to {@link #threads} threads.
 *
 * <p>Per thread ({@link Scope#Thread}) because {@link NoGradGuard} is thread-local: the guard must
 * be opened on the thread that runs the benchmark, which JMH guarantees for a thread-scoped state's
 * trial setup.
 */
@State(Scope.Thread)
public class ResNetState {

  /**
   * libtorch's intra-op and OpenBLAS's threads ({@code Threads.set}); JMH runs one caller thread.
   */
  @Param({"1"})
  public int threads;

  /** The model, in eval mode. */
  public ResNet model;

  /** The input, {@code randn(1, 3, 224, 224)} on seed 0. */
  public Tensor input;

  private NoGradGuard noGrad;

  /** Fixes the threads and the seed, builds the model and the input, turns gradients off. */
  @Setup(Level.Trial)
  public void setUp() {
    dev.featurex.runtime.Natives.extract(); // each JMH fork is a fresh JVM (see Natives)
    Threads.set(threads); // libtorch and OpenBLAS (see Threads)
    torch.manual_seed(0);
    model = ResNet.resnet18();
    model.eval();
    input = torch.randn(1, 3, 224, 224);
    noGrad = new NoGradGuard();
  }

  /** Restores gradients on this thread. */
  @TearDown(Level.Trial)
  public void tearDown() {
    noGrad.close();
  }
}
