/**
 * Internal: what the code the featurex processor generates calls ({@code <Model>_FeatureGraph},
 * typed extractors). Not API: these types may change in any release, together with the processor
 * that generates code against them; application code uses {@code dev.featurex.runtime}.
 */
package dev.featurex.runtime.internal;
