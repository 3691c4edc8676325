/**
 * The graph model shared by the processor and the runtime: nodes, graphs, torchvision's naming and
 * return-node rules. Plain Java: nothing here touches libtorch, so the processor can use it.
 */
package dev.featurex.runtime.graph;
