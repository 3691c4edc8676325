package dev.featurex.processor.trace;

/**
 * One run of the interpreter in one phase: what every frame of the run shares. Frames reach it only
 * through their own methods, so the state a construct uses is always the frame passed to it.
 */
final class Context {

  /** Steps (statements and expressions evaluated) one run may take. */
  static final int STEP_BUDGET = 5_000_000;

  /** Nested method and constructor calls one run may make. */
  static final int MAX_DEPTH = 200;

  final TraceEnvironment env;
  final Heap heap;
  final Phase phase;
  int steps;
  int depth;

  Context(TraceEnvironment env, Heap heap, Phase phase) {
    this.env = env;
    this.heap = heap;
    this.phase = phase;
  }
}
