package org.fieldwork.ecg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WfdbRecordTest {

    @Test
    void readsThePtbXlRecord() throws Exception {
        WfdbRecord r = WfdbRecord.read(SharedData.require("ecg/SampleData_PTB_XL_data_00001_lr.hea"));
        assertEquals(List.of("I", "II", "III", "AVR", "AVL", "AVF", "V1", "V2", "V3", "V4", "V5", "V6"), r.leads());
        assertEquals(100, r.sampleRateHz());
        assertEquals(1000, r.length());
        assertEquals(1000, r.gains()[0]);
        assertEquals(-0.119, r.lead("I")[0], 1e-12);
        assertEquals(0.004, r.lead("aVF")[0], 1e-12);
        assertEquals(-1.377, java.util.Arrays.stream(r.lead("V2")).min().orElseThrow(), 1e-12);
    }

    @Test
    void readsFormat212(@TempDir Path dir) throws Exception {
        // Two signals, two frames: (1, -1), (2047, -2048), packed as 212.
        int[] adu = {1, -1, 2047, -2048};
        byte[] bytes = new byte[6];
        for (int k = 0; k < 4; k += 2) {
            int a = adu[k] & 0xFFF;
            int b = adu[k + 1] & 0xFFF;
            int base = k / 2 * 3;
            bytes[base] = (byte) (a & 0xFF);
            bytes[base + 1] = (byte) (((a >> 8) & 0x0F) | ((b >> 8) << 4));
            bytes[base + 2] = (byte) (b & 0xFF);
        }
        Files.write(dir.resolve("t.dat"), bytes);
        Files.writeString(dir.resolve("t.hea"), "t 2 360 2\nt.dat 212 200(1) 11 0 1 0 0 MLII\nt.dat 212 100 11 0 -1 0 0 V5\n");
        WfdbRecord r = WfdbRecord.read(dir.resolve("t.hea"));
        assertEquals(List.of("MLII", "V5"), r.leads());
        assertArrayEquals(new double[] {0, 2046 / 200.0}, r.lead("MLII"), 1e-12);
        assertArrayEquals(new double[] {-0.01, -20.48}, r.lead("V5"), 1e-12);
    }

    @Test
    void refusesAnUnsupportedFormatNamingTheFile(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("u.dat"), new byte[8]);
        Path hea = dir.resolve("u.hea");
        Files.writeString(hea, "u 1 100 4\nu.dat 80 200 8 0 0 0 0 I\n");
        WfdbRecord.UnreadableRecord e = assertThrows(WfdbRecord.UnreadableRecord.class, () -> WfdbRecord.read(hea));
        assertTrue(e.getMessage().contains(hea.toString()) && e.getMessage().contains("80"), e.getMessage());
    }
}
