package dev.featurex.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.bytedeco.javacpp.Loader;

/**
 * Extracts the presets' native libraries into JavaCPP's cache before libtorch is first loaded.
 *
 * <p>Why: JavaCPP extracts each library from its jar just before loading it. On a fresh machine (an
 * empty {@code ~/.javacpp/cache}) with the presets 2.10.0-1.5.13, loading {@code libtorch_cpu.so}
 * while the libraries beside it are not yet extracted crashes the JVM (SIGSEGV in {@code
 * pthread_mutex_lock}, measured on linux-x86_64); once everything is extracted, loading is fine.
 * Call {@link #extract()} first thing in {@code main} (or in a test listener), before any class of
 * {@code org.bytedeco.pytorch} is used; later runs find the cache filled and it returns quickly.
 */
public final class Natives {

  private static final String[] PRESETS = {"javacpp", "openblas", "pytorch"};
  private static volatile boolean extracted;

  private Natives() {}

  /**
   * Extracts the native libraries of JavaCPP, OpenBLAS and PyTorch for this platform, once per JVM.
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
      throw new UncheckedIOException("cannot extract the native libraries into JavaCPP's cache", e);
    }
    extracted = true;
  }
}
