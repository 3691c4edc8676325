package dev.featurex.spark.support;

import dev.featurex.runtime.Natives;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Extracts the native libraries before any test loads libtorch (see {@link Natives}). */
public final class ExtractNatives implements LauncherSessionListener {

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    Natives.extract();
  }
}
