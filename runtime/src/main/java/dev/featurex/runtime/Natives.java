package dev.featurex.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.bytedeco.javacpp.Loader;

/**
 * Extracts the presets' native libraries into JavaCPP's cache before libtorch is first loaded. Call
 * {@link #extract()} as the first statement of {@code main}, before any class of {@code
 * org.bytedeco.pytorch} is touched (a model class that extends {@code Module} counts).
 *
 * <p>Why: JavaCPP extracts each library from its jar just before loading it, in the order the
 * presets list them, and the PyTorch presets 2.10.0-1.5.13 list {@code libtorch.so} before {@code
 * libtorch_cpu.so}, which {@code libtorch.so} needs. So on an empty cache the dynamic linker looks
 * for {@code libtorch_cpu.so} while it is not yet beside {@code libtorch.so}: with nothing else on
 * the machine that load fails, JavaCPP goes on, extracts {@code libtorch_cpu.so} and all is well;
 * but when another libtorch is on the linker's path (Debian's {@code libtorch-dev}, which {@code
 * python3-torch} installs, puts {@code /usr/lib/x86_64-linux-gnu/libtorch_cpu.so} in {@code
 * ld.so.cache}), the linker loads that one, and when the presets' own copy follows, two libtorch
 * libraries share the dispatcher singleton (a {@code STB_GNU_UNIQUE} symbol, bound once per
 * process): the JVM dies in {@code libtorch_cpu.so}'s static initialisers ({@code
 * c10::Dispatcher::registerFallback}, SIGSEGV in {@code pthread_mutex_lock}, or an abort on a
 * duplicate registration). The next run finds the cache full and works, so the crash looks random.
 *
 * <p>Nothing in a library can run earlier for you: the JVM initialises {@code Module}, which loads
 * libtorch, before any static initialiser of a model class or any featurex method whose argument is
 * a model. Once the cache is full the order no longer matters, because {@code libtorch.so} finds
 * {@code libtorch_cpu.so} beside it. {@code java -cp <your classpath> dev.featurex.runtime.Natives}
 * fills the cache ahead of time (for a container image, say).
 */
public final class Natives {

  private static final String[] PRESETS = {"javacpp", "openblas", "pytorch"};
  private static volatile boolean extracted;

  private Natives() {}

  /**
   * Extracts the native libraries of JavaCPP, OpenBLAS and PyTorch for this platform into JavaCPP's
   * cache ({@code org.bytedeco.javacpp.cachedir}, by default {@code ~/.javacpp/cache}), once per
   * JVM; files already in the cache are kept.
   *
   * @throws UncheckedIOException when the cache directory cannot be written
   */
  public static synchronized void extract() {
    if (extracted) {
      return;
    }
    String platform = Loader.getPlatform();
    try {
      for (String preset : PRESETS) {
        Loader.cacheResources("/org/bytedeco/" + preset + "/" + platform + "/");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot extract the native libraries into JavaCPP's cache; set a writable directory with"
              + " -Dorg.bytedeco.javacpp.cachedir=...",
          e);
    }
    extracted = true;
  }

  /**
   * Fills JavaCPP's cache and says where: {@code java -cp <classpath>
   * dev.featurex.runtime.Natives}.
   *
   * @param args none
   * @throws IOException when the cache directory cannot be found or made
   */
  public static void main(String[] args) throws IOException {
    extract();
    System.out.println("native libraries extracted into " + Loader.getCacheDir());
  }
}
