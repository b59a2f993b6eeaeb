package org.fieldwork.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KernelDeviceAndReportTest {
    @Test
    void parsesThePolicyNames() {
        assertEquals(KernelDevice.AUTO, KernelDevice.parse("auto"));
        assertEquals(KernelDevice.OPENCL, KernelDevice.parse(" OpenCL "));
        assertEquals(KernelDevice.JAVA, KernelDevice.parse("JAVA"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelDevice.parse("gpu"));
        assertTrue(e.getMessage().contains("auto, opencl, java"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KernelDevice.parse(" "));
        assertEquals("opencl", KernelDevice.OPENCL.optionValue());
    }

    @Test
    void systemPropertySelectsThePolicy() {
        String old = System.getProperty(KernelDevice.PROPERTY);
        try {
            System.setProperty(KernelDevice.PROPERTY, "java");
            assertEquals(KernelDevice.JAVA, KernelDevice.fromEnvironment());
            System.setProperty(KernelDevice.PROPERTY, "opencl");
            assertEquals(KernelDevice.OPENCL, KernelDevice.fromEnvironment());
            System.setProperty(KernelDevice.PROPERTY, "nonsense");
            assertThrows(IllegalArgumentException.class, KernelDevice::fromEnvironment);
        } finally {
            if (old == null) {
                System.clearProperty(KernelDevice.PROPERTY);
            } else {
                System.setProperty(KernelDevice.PROPERTY, old);
            }
        }
    }

    @Test
    void reportCountsMergesAndSurvivesSerialization() throws Exception {
        KernelReport a = new KernelReport();
        a.record("separable-filter", "opencl:gpu0");
        a.record("separable-filter", "opencl:gpu0");
        a.record("sobel-u8", KernelReport.JAVA);
        KernelReport b = new KernelReport();
        b.record("sobel-u8", "opencl:gpu0");
        b.recordFailover();
        a.merge(b);
        assertEquals(4, a.totalRuns());
        assertEquals(3, a.openClRuns());
        assertEquals(1, a.javaRuns());
        assertEquals(1, a.openClFailovers());
        assertEquals(Map.of("java", 1L, "opencl:gpu0", 3L), a.runsByDevice());
        assertEquals(2L, a.runsByKernel().get("separable-filter @ opencl:gpu0"));
        assertEquals("kernel runs: 4 (java=1, opencl:gpu0=3; 1 OpenCL failover(s) to java)", a.summary());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(a);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            KernelReport back = (KernelReport) in.readObject();
            assertEquals(a.summary(), back.summary());
            assertEquals(a.runsByKernel(), back.runsByKernel());
        }
        KernelReport copy = a.copy();
        a.reset();
        assertTrue(a.isEmpty());
        assertEquals(4, copy.totalRuns(), "a copy is independent of later resets");
    }
}
