package org.fieldwork.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The device policy: what runs where, what is reported, and that OPENCL never falls back silently. */
class KernelSessionTest {
    private static final FloatImage IMAGE = TestImages.randomFloat(19, 11, 5);

    @Test
    void javaPolicyRunsTheKernelBodiesInJavaAndSaysSo() {
        try (KernelSession s = KernelSession.open(KernelDevice.JAVA)) {
            assertEquals(KernelReport.JAVA, s.plannedDevice());
            s.gaussianBlur(IMAGE, 5, 1.0);
            s.sobel(TestImages.randomGray(7, 3, 1), 1, 0, Border.REPLICATE);
            s.localMeanAndVariance(IMAGE, 3, 3, Border.REFLECT_101);
            KernelReport r = s.report();
            assertEquals(3, r.javaRuns(), r.summary());
            assertEquals(0, r.openClRuns(), r.summary());
            assertEquals(KernelReport.JAVA, s.lastDevice());
            assertEquals(1L, r.runsByKernel().get("sobel-u8 @ java"), r.runsByKernel().toString());
        }
    }

    @Test
    void autoPolicyUsesOpenClWhenPresentElseJava() {
        try (KernelSession s = KernelSession.open(KernelDevice.AUTO)) {
            s.boxMean(IMAGE, 3, 3, Border.REFLECT_101);
            String expected = OpenClDevices.best().map(OpenClDevices::label).orElse(KernelReport.JAVA);
            assertEquals(expected, s.lastDevice());
            assertEquals(1, s.report().runsOn(expected));
        }
    }

    @Test
    void openClPolicyReportsTheOpenClDevice() {
        OpenClRequirement.require();
        try (KernelSession s = KernelSession.open(KernelDevice.OPENCL)) {
            s.gaussianBlur(IMAGE, 3, 0);
            assertTrue(s.lastDevice().startsWith(KernelReport.OPENCL_PREFIX), s.lastDevice());
            assertEquals(s.plannedDevice(), s.lastDevice());
            assertEquals(1, s.report().openClRuns());
        }
    }

    @Test
    void openClPolicyRefusesAKernelAparapiCannotTranslate() {
        OpenClRequirement.require();
        try (KernelSession s = KernelSession.open(KernelDevice.OPENCL)) {
            KernelSession.Slot<UntranslatableKernel> slot = s.slot("untranslatable", UntranslatableKernel::new, UntranslatableKernel::new);
            KernelUnavailableException e = assertThrows(KernelUnavailableException.class,
                    () -> runUntranslatable(s, slot));
            assertTrue(e.getMessage().contains("untranslatable"), e.getMessage());
            assertEquals(0, s.report().totalRuns(), "a refused run is not counted");
        }
    }

    @Test
    void autoPolicyFallsBackToJavaOnceAndReportsIt() {
        OpenClRequirement.require();
        try (KernelSession s = KernelSession.open(KernelDevice.AUTO)) {
            KernelSession.Slot<UntranslatableKernel> slot = s.slot("untranslatable", UntranslatableKernel::new, UntranslatableKernel::new);
            assertArrayEquals(new float[] {3f}, runUntranslatable(s, slot));
            assertArrayEquals(new float[] {3f}, runUntranslatable(s, slot));
            KernelReport r = s.report();
            assertEquals(2, r.javaRuns(), r.summary());
            assertEquals(1, r.openClFailovers(), "the kernel is tried on OpenCL once per session: " + r.summary());
            assertTrue(r.summary().contains("failover"), r.summary());
        }
    }

    /** A kernel whose OpenCL program fails to build falls back to Java, and closing the session after it is safe. */
    @Test
    void aKernelTheDeviceCannotBuildFallsBackAndClosesSafely() {
        OpenClRequirement.require();
        KernelSession s = KernelSession.open(KernelDevice.AUTO);
        KernelSession.Slot<UnbuildableKernel> slot = s.slot("unbuildable", UnbuildableKernel::new, UnbuildableKernel::new);
        float[] out = s.run(slot, "unbuildable", 1, 1, k -> { }, k -> new float[] {k.out[0]});
        assertArrayEquals(new float[] {5f}, out);
        assertEquals(1, s.report().openClFailovers(), s.report().summary());
        s.close(); // disposing a kernel whose build failed crashed the JVM in clReleaseCommandQueue
    }

    private static float[] runUntranslatable(KernelSession s, KernelSession.Slot<UntranslatableKernel> slot) {
        return s.run(slot, "untranslatable", 1, 1, k -> { }, k -> new float[] {k.out[0]});
    }

    @Test
    void closedSessionRefusesWorkAndClosesTwice() {
        KernelSession s = KernelSession.open(KernelDevice.JAVA);
        s.close();
        s.close();
        assertThrows(IllegalStateException.class, () -> s.boxMean(IMAGE, 3, 3, Border.REFLECT_101));
    }

    @Test
    void badArgumentsFailBeforeAnyRun() {
        try (KernelSession s = KernelSession.open(KernelDevice.JAVA)) {
            assertThrows(IllegalArgumentException.class, () -> s.gaussianBlur(IMAGE, 4, 1.0));
            assertThrows(IllegalArgumentException.class, () -> s.gaussianBlur(IMAGE, 0, 0));
            assertThrows(IllegalArgumentException.class, () -> s.sobel(IMAGE, 0, 0, Border.REPLICATE));
            assertThrows(IllegalArgumentException.class, () -> s.sobel(IMAGE, 3, 0, Border.REPLICATE));
            assertThrows(IllegalArgumentException.class, () -> s.boxMean(IMAGE, 0, 3, Border.REPLICATE));
            assertThrows(IllegalArgumentException.class, () -> new FloatImage(2, 2, new float[3]));
            assertEquals(0, s.report().totalRuns());
        }
    }
}
