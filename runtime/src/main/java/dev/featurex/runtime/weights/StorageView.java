package dev.featurex.runtime.weights;

/**
 * The elements {@code [offset, offset + numel)} of {@code storage}: what a persistent id of a
 * pickle stands for (a whole storage, or a legacy storage view).
 *
 * @param storage the storage
 * @param offset the first element
 * @param numel the number of elements
 */
record StorageView(Storage storage, long offset, long numel) {}
