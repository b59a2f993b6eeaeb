package org.fieldwork.io.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.Random;

import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.junit.jupiter.api.Test;

/** Our hybrid encoding of dictionary indices, decoded by parquet-mr's decoder. */
class HybridIndicesTest {

    @Test
    void everyPatternAndWidthDecodesWithParquetMr() throws Exception {
        Random r = new Random(5);
        HybridIndices encoder = new HybridIndices();
        for (int width = 1; width <= 20; width++) {
            int bound = 1 << width;
            for (int pattern = 0; pattern < 6; pattern++) {
                int n = 1 + r.nextInt(5000);
                int[] v = new int[n];
                int i = 0;
                while (i < n) {
                    // Runs of every length around the 8-value group size, and lone values in between.
                    int run = switch (pattern) {
                        case 0 -> 1;
                        case 1 -> n;
                        case 2 -> 1 + r.nextInt(20);
                        case 3 -> r.nextBoolean() ? 1 : 7 + r.nextInt(4);
                        case 4 -> r.nextInt(3) == 0 ? 50 + r.nextInt(100) : 1 + r.nextInt(3);
                        default -> 8 + r.nextInt(9);
                    };
                    int value = r.nextInt(bound);
                    for (int k = 0; k < run && i < n; k++) {
                        v[i++] = value;
                    }
                }
                v[r.nextInt(n)] = bound - 1; // the widest value occurs
                encoder.encode(v, n, width);
                RunLengthBitPackingHybridDecoder decoder = new RunLengthBitPackingHybridDecoder(width,
                        new ByteArrayInputStream(encoder.bytes(), 0, encoder.length()));
                for (int k = 0; k < n; k++) {
                    assertEquals(v[k], decoder.readInt(), "width " + width + " pattern " + pattern + " value " + k);
                }
            }
        }
    }

    @Test
    void aConstantColumnIsOneRun() {
        HybridIndices encoder = new HybridIndices();
        encoder.encode(new int[65536], 65536, 1);
        // The header varint (65536 << 1 takes three bytes) and one byte of value.
        assertEquals(4, encoder.length());
        int[] v = new int[1000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 3;
        }
        encoder.encode(v, v.length, 2);
        assertTrue(encoder.length() <= 3 + 1000 * 2 / 8, "packed: " + encoder.length());
    }
}
