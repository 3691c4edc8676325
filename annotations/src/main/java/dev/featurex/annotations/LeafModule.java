package dev.featurex.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a Java module class as a leaf: the tracer never reads its {@code forward}; each call of it
 * is one {@code call_module} node named by the module's qualified name, and nothing inside it can
 * be a return node.
 *
 * <p>The way out for a module whose {@code forward} the tracer cannot follow (a branch on a tensor
 * value, a data-dependent loop). Its {@code forward} must take and return what it is called with
 * ({@code Tensor}s).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface LeafModule {}
