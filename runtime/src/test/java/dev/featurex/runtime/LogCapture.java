package dev.featurex.runtime;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Captures what FeatureExtraction logs (System.Logger is backed by java.util.logging here). */
final class LogCapture extends Handler implements AutoCloseable {

  private final Logger logger = Logger.getLogger(FeatureExtraction.class.getName());
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  LogCapture() {
    logger.addHandler(this);
  }

  /** The messages logged at WARNING so far. */
  List<String> warnings() {
    return records.stream()
        .filter(r -> r.getLevel().equals(Level.WARNING))
        .map(LogRecord::getMessage)
        .toList();
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
