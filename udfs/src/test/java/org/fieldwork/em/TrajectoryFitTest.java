package org.fieldwork.em;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class TrajectoryFitTest {

    /** A decelerating drift (the generator's shape) measured with 0.3 px noise per frame and one wild frame. */
    @Test
    void aNoisySmoothDriftComesBackCloserToTheTruth() {
        int n = 40;
        double[] truth = new double[n];
        double[] measured = new double[n];
        Random r = new Random(4);
        for (int i = 0; i < n; i++) {
            truth[i] = 9 * (1 - Math.exp(-i / 10.0));
            measured[i] = truth[i] + 0.3 * r.nextGaussian();
        }
        measured[17] += 4;
        double[] fitted = TrajectoryFit.smooth(measured);
        double raw = 0;
        double fit = 0;
        for (int i = 0; i < n; i++) {
            raw += Math.pow(measured[i] - truth[i], 2);
            fit += Math.pow(fitted[i] - truth[i], 2);
        }
        raw = Math.sqrt(raw / n);
        fit = Math.sqrt(fit / n);
        assertTrue(fit < raw / 3, "fitted RMS error " + fit + " px, measured " + raw + " px");
        assertEquals(truth[17], fitted[17], 0.3, "the wild frame follows its neighbours");
    }

    @Test
    void aSplineFollowsTheDriftsShapeExactlyAndShortMoviesKeepTheirShifts() {
        double[] exact = new double[30];
        for (int i = 0; i < exact.length; i++) {
            exact[i] = 5 * (1 - Math.exp(-i / 7.5)) + 0.01 * i;
        }
        double[] fitted = TrajectoryFit.smooth(exact);
        for (int i = 0; i < exact.length; i++) {
            assertEquals(exact[i], fitted[i], 0.01, "frame " + i);
        }
        double[] few = {0, 1.3, 0.2, 2.9, 1.1};
        assertArrayEquals(few, TrajectoryFit.smooth(few));
        double[] jumps = {0, 3, -2, 5, 1, -4, 2, 6, -1, 3};
        assertArrayEquals(jumps, TrajectoryFit.smooth(jumps), "unrelated shifts are not a drift");
    }
}
