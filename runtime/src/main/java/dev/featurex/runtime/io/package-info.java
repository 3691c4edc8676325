/**
 * Files written whole or not at all, shared by the checkpoint writer and the command line: {@link
 * dev.featurex.runtime.io.AtomicFiles}.
 */
package dev.featurex.runtime.io;
