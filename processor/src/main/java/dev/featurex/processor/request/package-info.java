/**
 * What an annotation asks for ({@link dev.featurex.processor.request.ModelRequest}), read from its
 * mirror so that messages point at the value at fault, and the method it traces with its concrete
 * arguments ({@link dev.featurex.processor.request.TracedMethod}).
 */
package dev.featurex.processor.request;
