/**
 * The contract the processor and the runtime share, written once: the graph model ({@link
 * dev.featurex.graph.Graph}, {@link dev.featurex.graph.GraphNode}), torchvision's naming ({@link
 * dev.featurex.graph.NodeNamer}) and return-node rules ({@link dev.featurex.graph.ReturnNodes}),
 * "did you mean" ({@link dev.featurex.graph.Suggestions}), the train/eval difference warning
 * ({@link dev.featurex.graph.GraphDifferences}), how modules are named and which are leaves ({@link
 * dev.featurex.graph.ModuleTypes}), and module-tree signatures ({@link
 * dev.featurex.graph.ModuleTreeSignature}). Plain Java: nothing here touches libtorch, so the
 * processor can use it.
 */
package dev.featurex.graph;
