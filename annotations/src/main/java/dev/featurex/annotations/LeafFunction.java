package dev.featurex.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static method that the tracer records as one node instead of reading its body,
 * torchvision's {@code autowrap_functions}: a call with a traced argument becomes one {@code
 * call_function} node named after the method ({@code leafFunction}), and generated code calls the
 * method itself. Use it for helpers the tracer cannot follow (a branch or a cast on a traced size)
 * that compute on their own. A call with known arguments only runs as usual.
 *
 * <p>For methods you cannot annotate, list them in {@link Traceable#leafFunctions()} or {@link
 * ExtractFeatures#leafFunctions()}. The methods of {@code java.lang.Math} called with traced values
 * are always recorded so, as torchvision wraps Python's {@code math}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface LeafFunction {}
