package dev.featurex.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Keeps the Java objects of built-in modules reachable for the whole test run. JavaCPP allocates
 * some built-in modules (BatchNorm, Dropout, pooling, ...) without a shared owner, so the garbage
 * collector frees them once their Java object is unreachable, even though a {@code SequentialImpl}
 * holds them (measured: a crash in {@code Module::name} after {@code System.gc()}).
 */
final class KeepAlive {

  private static final List<Object> KEPT = Collections.synchronizedList(new ArrayList<>());

  private KeepAlive() {}

  /** Returns {@code module}, kept reachable. */
  static <M> M keep(M module) {
    KEPT.add(module);
    return module;
  }
}
