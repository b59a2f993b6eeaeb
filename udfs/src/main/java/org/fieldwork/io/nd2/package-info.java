/**
 * Nikon ND2 files (NIS-Elements, versions 2 and 3) read in pure Java, and written synthetically;
 * legacy version 1 files (JPEG 2000) read with ome-codecs' JPEG 2000 decoder.
 *
 * <ul>
 *   <li>{@link org.fieldwork.io.nd2.Nd2Format} / {@link org.fieldwork.io.nd2.Nd2File}: the
 *       {@link org.fieldwork.io.stack.StackFormat} and {@link org.fieldwork.io.stack.StackReader}
 *       for ND2. Opening reads the chunk map at the end of the file and the metadata chunks; each
 *       plane read fetches one {@code ImageDataSeq|N!} chunk, so a field of view never costs reading
 *       the others (one positioned read, locally or from an object store).</li>
 *   <li>{@link org.fieldwork.io.nd2.LvReader} / {@link org.fieldwork.io.nd2.LvWriter} (binary LV
 *       metadata of version 3) and {@link org.fieldwork.io.nd2.Nd2XmlMetadata} (the XML metadata of
 *       version 2), both to and from one tree, {@link org.fieldwork.io.nd2.Nd2Variant}.</li>
 *   <li>{@link org.fieldwork.io.nd2.Nd2Writer}: synthetic files laid out as NIS-Elements lays them
 *       out, for demos, tests and benchmarks.</li>
 *   <li>{@link org.fieldwork.io.nd2.Nd2LegacyFile}: legacy ND2, a JPEG 2000 box sequence indexed by
 *       a box map at its end ({@link org.fieldwork.io.nd2.Nd2BoxIndex}), one codestream per channel
 *       plane and frame, metadata in XML boxes ({@link org.fieldwork.io.nd2.Nd2LegacyXml}). The
 *       format picks it by the file's first bytes.</li>
 * </ul>
 *
 * <p>Damaged files fail with {@link org.fieldwork.io.nd2.Nd2FormatException}, whose message names
 * the file and what is wrong; a frame chunk is checked only when read, so a file whose last frame
 * is cut still gives its other frames; a legacy file without its box map (cut short) fails at open.
 */
package org.fieldwork.io.nd2;
