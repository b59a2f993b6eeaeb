package org.fieldwork.seismic;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

/**
 * Writes SEG-Y files with a known structure for demos, tests and benchmarks: shot gathers of
 * varying size (FieldRecord and CDP constant within a gather), rev 1 headers, IBM or IEEE samples
 * holding a decaying wavelet plus seeded noise. Same arguments, same bytes.
 */
public final class SyntheticSegy {
    private final long traces;
    private final int samples;
    private final int minGather;
    private final int maxGather;
    private final SampleFormat format;
    private final long seed;

    public SyntheticSegy(long traces, int samples, int minGather, int maxGather, SampleFormat format, long seed) {
        if (format != SampleFormat.IBM_FLOAT32 && format != SampleFormat.IEEE_FLOAT32 && format != SampleFormat.INT16) {
            throw new IllegalArgumentException("synthetic SEG-Y supports formats 1, 3 and 5, not " + format.code());
        }
        if (traces < 1 || samples < 1 || samples > 65535 || minGather < 1 || maxGather < minGather) {
            throw new IllegalArgumentException("need traces >= 1, 1 <= samples <= 65535, 1 <= min gather <= max gather");
        }
        this.traces = traces;
        this.samples = samples;
        this.minGather = minGather;
        this.maxGather = maxGather;
        this.format = format;
        this.seed = seed;
    }

    public long fileSize() {
        return 3600L + traces * (240L + (long) samples * format.bytesPerSample());
    }

    public void write(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(textHeader()));
            ch.write(binaryHeader());
            int traceBytes = 240 + samples * format.bytesPerSample();
            int perBuffer = Math.max(1, (8 << 20) / traceBytes);
            ByteBuffer buf = ByteBuffer.allocate(perBuffer * traceBytes).order(ByteOrder.BIG_ENDIAN);
            Random noise = new Random(seed);
            Random gathers = new Random(seed * 31 + 7);
            float[] wavelet = new float[samples];
            int record = 1;
            int left = nextGather(gathers);
            int inGather = 0;
            for (long t = 0; t < traces; t++) {
                if (left == 0) {
                    record++;
                    left = nextGather(gathers);
                    inGather = 0;
                }
                int start = buf.position();
                buf.putInt(start, (int) (t + 1));        // TRACE_SEQUENCE_LINE
                buf.putInt(start + 4, (int) (t + 1));    // TRACE_SEQUENCE_FILE
                buf.putInt(start + 8, record);           // FieldRecord
                buf.putInt(start + 12, inGather + 1);    // TraceNumber
                buf.putInt(start + 20, 1000 + record);   // CDP
                buf.putInt(start + 24, inGather + 1);    // CDP_TRACE
                buf.putShort(start + 28, (short) 1);     // TraceIdentificationCode
                buf.putInt(start + 36, 25 * (inGather + 1)); // offset
                buf.putShort(start + 114, (short) samples);
                buf.putShort(start + 116, (short) 4000);
                fillWavelet(wavelet, inGather, noise);
                int at = start + 240;
                for (int i = 0; i < samples; i++) {
                    switch (format) {
                        case IBM_FLOAT32 -> buf.putInt(at + 4 * i, IbmFloat.fromFloat(wavelet[i]));
                        case IEEE_FLOAT32 -> buf.putFloat(at + 4 * i, wavelet[i]);
                        default -> buf.putShort(at + 2 * i, (short) Math.max(-32768, Math.min(32767, Math.round(wavelet[i] * 1000))));
                    }
                }
                buf.position(start + traceBytes);
                if (!buf.hasRemaining()) {
                    buf.flip();
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    buf.clear(); // every trace rewrites the same bytes; the rest stay zero
                }
                left--;
                inGather++;
            }
            buf.flip();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }

    private int nextGather(Random r) {
        return minGather + r.nextInt(maxGather - minGather + 1);
    }

    /** A Ricker-like arrival moving down with offset, decaying, plus small noise. */
    private void fillWavelet(float[] w, int trace, Random noise) {
        double arrival = 20 + trace * 0.7;
        for (int i = 0; i < w.length; i++) {
            double x = (i - arrival) / 6.0;
            double ricker = (1 - 2 * x * x) * Math.exp(-x * x);
            w[i] = (float) (ricker * Math.exp(-i / 400.0) + 0.01 * noise.nextGaussian());
        }
    }

    private byte[] textHeader() {
        StringBuilder sb = new StringBuilder();
        String[] lines = {
            "SYNTHETIC SEG-Y WRITTEN BY FIELDWORK",
            "TRACES " + traces + "  SAMPLES " + samples + "  FORMAT " + format.code(),
            "SHOT GATHERS OF " + minGather + " TO " + maxGather + " TRACES, KEY FIELDRECORD (BYTE 9)",
            "SEED " + seed,
        };
        for (int i = 0; i < 40; i++) {
            String body = i < lines.length ? lines[i] : "";
            String line = String.format("C%2d %s", i + 1, body);
            sb.append(String.format("%-80s", line).substring(0, 80));
        }
        return sb.toString().getBytes(Charset.forName("IBM037"));
    }

    private ByteBuffer binaryHeader() {
        ByteBuffer b = ByteBuffer.allocate(400).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0, 1);                              // job id
        b.putInt(4, 1);                              // line number
        b.putShort(12, (short) maxGather);           // traces per ensemble (upper bound)
        b.putShort(16, (short) 4000);                // sample interval, microseconds
        b.putShort(20, (short) samples);             // samples per trace
        b.putShort(24, (short) format.code());
        b.putShort(26, (short) maxGather);           // ensemble fold
        b.putShort(28, (short) 1);                   // sorted as recorded
        b.putShort(54, (short) 1);                   // metres
        b.put(300, (byte) 1);                        // revision 1.0
        b.putShort(302, (short) 1);                  // fixed-length traces
        return b;
    }
}
