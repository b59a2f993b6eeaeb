package org.fieldwork.seismic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.fieldwork.io.Storage;
import org.fieldwork.io.zarr.ZarrArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One segment's import on its own: chunks written in the background, and what a failed chunk write leaves. */
class SegmentImporterTest {
    private static final SegmentImporter.Progress QUIET = new SegmentImporter.Progress() {
        @Override
        public void add(long traces, long bytes) {
        }

        @Override
        public boolean cancelled() {
            return false;
        }
    };

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void compressionSpecsNameTheCompressorAndItsPolicy() {
        assertEquals(org.fieldwork.io.zarr.Compressor.zstd(1), SegyDataset.compressor("zstd"));
        assertEquals(org.fieldwork.io.zarr.Compressor.zstd(3, 0), SegyDataset.compressor("zstd-always:3"));
        assertEquals(org.fieldwork.io.zarr.Compressor.zstd(1, 0), SegyDataset.compressor("ZSTD-ALWAYS"));
        assertEquals(org.fieldwork.io.zarr.Compressor.none(), SegyDataset.compressor("none"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SegyDataset.compressor("lz4"));
        assertTrue(e.getMessage().contains("zstd-always"), e.getMessage());
    }

    /** Import and merge ask one place how a segment's traces fall into chunks: whole chunks and edge pieces. */
    @Test
    void aSegmentsSpansCoverItOnceWithEdgePiecesOnlyAtSharedChunks() {
        SegyDataset ds = new SegyDataset("/out", 1000, 10, 64, "zstd");
        GatherSegment middle = new GatherSegment(1, 100, 600, null, null);
        List<SegmentChunks.Span> spans = SegmentChunks.spans(ds, middle);
        assertEquals(new SegmentChunks.Span(1, 36, 28, false), spans.get(0));
        assertEquals(new SegmentChunks.Span(2, 0, 64, true), spans.get(1));
        assertEquals(new SegmentChunks.Span(10, 0, 60, false), spans.get(spans.size() - 1));
        assertEquals(600, spans.stream().mapToInt(SegmentChunks.Span::rows).sum());
        List<SegmentImporter.EdgePiece> pieces = SegmentChunks.edgePieces(ds, middle);
        assertEquals(2, pieces.size());
        assertEquals("/out/_segments/seg-00001/edge-1-36.f32", pieces.get(0).path());
        // The last chunk of a file is whole when it ends at the file's end, short as it is.
        assertTrue(SegmentChunks.spans(ds, new GatherSegment(2, 700, 300, null, null)).get(4).whole());
    }

    @Test
    void chunksWrittenInTheBackgroundHoldTheReadersSamples(@TempDir Path dir) throws Exception {
        Path sgy = dir.resolve("s.sgy");
        new SyntheticSegy(9500, 301, 5, 40, SampleFormat.IBM_FLOAT32, 9).write(sgy);
        // 900-trace chunks in 1.08 MB files (direct I/O where the file system has it); the segment
        // covers chunks 1-9 whole and the last, short chunk 10, and shares chunk 0 with a neighbour.
        // Ten chunk writes through three buffers: each buffer is reused while others are in flight.
        SegyDataset ds = new SegyDataset(dir.resolve("out").toString(), 9500, 301, 900, "none");
        ZarrArray traces = ZarrArray.unpublished(Storage.defaults(), ds.tracesPath(), ds.tracesMetadata());
        GatherSegment segment = new GatherSegment(1, 650, 8850, null, null);
        SegmentImporter.SegmentOutput out = SegmentImporter.importSegment(Storage.defaults(), sgy.toString(), ds, segment,
                EnsembleKey.parse("fldr"), QUIET);
        assertEquals(10, out.fullChunks());
        assertEquals(1, out.edgePieces().size());
        assertEquals(8850, out.headerRows());
        traces.publish();

        float[] stored = (float[]) ZarrArray.open(Storage.defaults(), ds.tracesPath()).readRows(900, 8600);
        try (SegyReader reader = SegyReader.open(Storage.defaults(), sgy.toString())) {
            TraceBlock block = TraceBlock.allFields(8600, 301);
            reader.read(900, 8600, block);
            float[] want = block.samples();
            for (int i = 0; i < 8600 * 301; i++) {
                if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(stored[i])) {
                    assertEquals(want[i], stored[i], "sample " + (i % 301) + " of trace " + (900 + i / 301));
                }
            }
        }
    }

    @Test
    void aFailedChunkWriteFailsTheSegmentNamingTheChunkAndLeavesNoHeaderTable(@TempDir Path dir) throws Exception {
        Path sgy = dir.resolve("s.sgy");
        new SyntheticSegy(3000, 200, 5, 40, SampleFormat.IBM_FLOAT32, 4).write(sgy);
        SegyDataset ds = new SegyDataset(dir.resolve("out").toString(), 3000, 200, 500, "zstd");
        ZarrArray.unpublished(Storage.defaults(), ds.tracesPath(), ds.tracesMetadata());
        // A folder where chunk 2 must go: its file cannot replace it.
        Path blocker = Path.of(ds.tracesPath(), "2.0");
        Files.createDirectories(blocker);
        Files.writeString(blocker.resolve("keep"), "x");
        GatherSegment segment = new GatherSegment(0, 0, 3000, null, null);

        IOException e = assertThrows(IOException.class, () -> SegmentImporter.importSegment(Storage.defaults(), sgy.toString(),
                ds, segment, null, QUIET));
        assertTrue(String.valueOf(e.getMessage()).contains("2.0"), "names the chunk: " + e);
        String headers = SegmentImporter.segmentHeadersPath(ds, segment);
        assertFalse(Files.exists(Path.of(headers)), "an aborted segment leaves no header table");
        for (Path p : files(dir.resolve("out"))) {
            assertFalse(p.getFileName().toString().endsWith(".partial") || p.getFileName().toString().endsWith(".tmp"),
                    "temporary file left: " + p);
        }
    }

    /** A boundary chunk put together from its edge pieces; a piece that does not fit is named in the error. */
    @Test
    void boundaryChunksAreAssembledFromEdgePiecesOrRefused(@TempDir Path dir) throws Exception {
        SegyDataset ds = new SegyDataset(dir.resolve("out").toString(), 250, 10, 100, "none");
        ZarrArray traces = ZarrArray.unpublished(Storage.defaults(), ds.tracesPath(), ds.tracesMetadata());
        byte[] rows = new byte[100 * 40];
        new java.util.Random(5).nextBytes(rows);
        Path a = Files.write(dir.resolve("a.f32"), java.util.Arrays.copyOfRange(rows, 0, 60 * 40));
        Path b = Files.write(dir.resolve("b.f32"), java.util.Arrays.copyOfRange(rows, 60 * 40, 100 * 40));
        SegmentImporter.EdgePiece first = new SegmentImporter.EdgePiece(1, 0, 60, a.toString());
        SegmentImporter.EdgePiece second = new SegmentImporter.EdgePiece(1, 60, 40, b.toString());

        SegmentImporter.assembleChunk(Storage.defaults(), ds, 1, List.of(first, second));
        traces.publish();
        float[] stored = (float[]) ZarrArray.open(Storage.defaults(), ds.tracesPath()).readRows(100, 100);
        java.nio.FloatBuffer want = java.nio.ByteBuffer.wrap(rows).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (int i = 0; i < stored.length; i++) {
            assertEquals(Float.floatToRawIntBits(want.get(i)), Float.floatToRawIntBits(stored[i]), "value " + i);
        }

        IOException missing = assertThrows(IOException.class,
                () -> SegmentImporter.assembleChunk(Storage.defaults(), ds, 1, List.of(first)));
        assertTrue(missing.getMessage().contains("row 160 of boundary chunk 1 was written by no segment"), missing.getMessage());
        Files.write(b, java.util.Arrays.copyOfRange(rows, 60 * 40, 99 * 40));
        IOException shortPiece = assertThrows(IOException.class,
                () -> SegmentImporter.assembleChunk(Storage.defaults(), ds, 1, List.of(first, second)));
        assertTrue(shortPiece.getMessage().contains("b.f32: edge piece holds 1560 bytes, expected 1600"), shortPiece.getMessage());
        IOException outside = assertThrows(IOException.class, () -> SegmentImporter.assembleChunk(Storage.defaults(), ds, 1,
                List.of(first, new SegmentImporter.EdgePiece(1, 60, 41, b.toString()))));
        assertTrue(outside.getMessage().contains("b.f32: edge piece rows 60..101 lie outside chunk 1's 100 rows"), outside.getMessage());
    }
}
