package org.fieldwork.kernels;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.fieldwork.testing.SharedData;

/**
 * Tests that need OpenCL: with CI set, a missing OpenCL device is a failure (CI installs PoCL);
 * elsewhere the test is skipped with the reason.
 */
public final class OpenClRequirement {
    private OpenClRequirement() {
    }

    public static void require() {
        if (OpenClDevices.best().isPresent()) {
            return;
        }
        String why = "no OpenCL device: " + OpenClDevices.unavailableReason();
        if (SharedData.inCi()) {
            fail(why + " (CI is set, so OpenCL must really run here)");
        }
        assumeTrue(false, why + "; skipping OpenCL assertions outside CI");
    }
}
