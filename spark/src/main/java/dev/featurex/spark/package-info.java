/**
 * Feature extraction as an Apache Spark job: {@link dev.featurex.spark.ExtractJob} lists images
 * (Spark's {@code binaryFile} source, a text file or a table of paths), decodes and preprocesses
 * them with featurex's images module, runs one run-time extractor per executor JVM and writes
 * Parquet, one row per image with its features or its error. See {@code docs/spark.md}.
 */
package dev.featurex.spark;
