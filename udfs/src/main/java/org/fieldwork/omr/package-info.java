/**
 * Bubble-sheet reading compatible with OMRChecker's template folders: same configuration files,
 * same answers, same CSV layout. No Spark types; the Spark job maps {@link
 * org.fieldwork.omr.SheetProcessor#process} over sheets and writes each folder with {@link
 * org.fieldwork.omr.ResultsCsv} in input order.
 *
 * <pre>{@code
 * // Configuration errors (bad template/config/evaluation) are thrown here, before any sheet is read.
 * List<OmrFolders.ImageFolder> folders = OmrFolders.walk(Path.of("samples/sample5"));
 * for (OmrFolders.ImageFolder folder : folders) {
 *     List<SheetResult> results = new ArrayList<>();
 *     for (Path image : folder.images()) {                  // sorted by name: the input order
 *         results.add(SheetProcessor.process(folder.config(), Files.readAllBytes(image),
 *                 image.getFileName().toString()));
 *     }
 *     ResultsCsv.write(Path.of("outputs").resolve(folder.relative()), folder.config(), results);
 * }
 * }</pre>
 *
 * Pipeline per sheet: decode by content as gray (cv2.IMREAD_GRAYSCALE), resize to the processing
 * size, pre-processors ({@link org.fieldwork.omr.CropPage}, {@link org.fieldwork.omr.CropOnMarkers},
 * {@link org.fieldwork.omr.FeatureBasedAlignment}, {@link org.fieldwork.omr.GaussianBlur}, {@link
 * org.fieldwork.omr.MedianBlur}, {@link org.fieldwork.omr.Levels}), resize to the template's page
 * size, normalize, {@link org.fieldwork.omr.BubbleReader}, custom labels, {@link
 * org.fieldwork.omr.EvaluationConfig}.
 */
package org.fieldwork.omr;
