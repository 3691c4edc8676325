/**
 * The tracer: a small abstract interpreter over javac trees ({@link
 * dev.featurex.processor.trace.Interpreter} for statements and expressions, {@link
 * dev.featurex.processor.trace.Invoker} for calls and objects, {@link
 * dev.featurex.processor.trace.Calls} for modules and traced values, {@link
 * dev.featurex.processor.trace.LibraryCalls} for code without source, {@link
 * dev.featurex.processor.trace.Fields} for fields), with torchvision's {@link
 * dev.featurex.processor.trace.LeafModuleAwareTracer} and {@link
 * dev.featurex.processor.trace.NodePathTracer}. {@link dev.featurex.processor.trace.ModelTracer}
 * runs one configuration: structure, then the train and eval traces. Everything it hands on is
 * immutable ({@link dev.featurex.processor.trace.TracedGraph}, {@link
 * dev.featurex.processor.trace.TracedNode}, {@link dev.featurex.processor.trace.Arg}).
 */
package dev.featurex.processor.trace;
