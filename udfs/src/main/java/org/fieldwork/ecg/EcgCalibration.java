package org.fieldwork.ecg;

/**
 * The scale of a printed ECG: pixels per millimetre of paper (from grid detection), paper speed and
 * gain, and the sample rate the digitized signal is resampled to.
 */
public record EcgCalibration(double pxPerMm, double mmPerSecond, double mmPerMv, double sampleRateHz) {

    public EcgCalibration {
        if (!(pxPerMm > 0) || !(mmPerSecond > 0) || !(mmPerMv > 0) || !(sampleRateHz > 0)) {
            throw new IllegalArgumentException("calibration values must be positive: " + pxPerMm + " px/mm, "
                    + mmPerSecond + " mm/s, " + mmPerMv + " mm/mV, " + sampleRateHz + " Hz");
        }
    }

    /** The usual print: 25 mm/s and 10 mm/mV. */
    public static EcgCalibration standard(double pxPerMm, double sampleRateHz) {
        return new EcgCalibration(pxPerMm, 25, 10, sampleRateHz);
    }

    public double pxPerSecond() {
        return pxPerMm * mmPerSecond;
    }

    public double pxPerMv() {
        return pxPerMm * mmPerMv;
    }
}
