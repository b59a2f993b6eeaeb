/**
 * Our own small Zarr v2 store (arrays, groups, attributes) on local disk or any Hadoop file system
 * ({@code s3a://}). Output opens in Python zarr 2.x, and what Python zarr writes with zstd, zlib or no
 * compression reads here.
 *
 * <p>Typical use from Spark: the driver creates the array, each task writes its own chunk-aligned
 * block of rows, so no two tasks share a chunk file:
 * <pre>{@code
 * ZarrArray traces = ZarrArray.create(storage, out + "/traces",
 *         ZarrArrayMetadata.of(new long[] {nTraces, nSamples}, new int[] {T, nSamples},
 *                 DataType.FLOAT32, Compressor.zstd(3), Double.NaN));
 * // in a task: rows [first, first + k*T), or up to the last trace
 * traces.writeRows(first, samples);   // float[] of rows * nSamples values
 * }</pre>
 */
package org.fieldwork.io.zarr;
