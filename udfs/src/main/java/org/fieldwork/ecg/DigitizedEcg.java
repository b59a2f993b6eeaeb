package org.fieldwork.ecg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the digitizer recovered from one image: one signal per lead (a lead shown in several panels,
 * like lead II in a panel and the rhythm strip, keeps its longest), every panel's traced points in
 * the original image's coordinates, and the rotation that was undone.
 */
public record DigitizedEcg(List<Lead> leads, List<Panel> panels, double skewDegrees) {

    /** A lead's signal in mV, starting at the panel's first sample. */
    public record Lead(String name, double sampleRateHz, double[] valuesMv) {
    }

    /** The traced points of one panel (one per image column of the deskewed page), mapped back to the input image. */
    public record Panel(EcgLayout.Panel place, double[] xs, double[] ys, double baselineRow, Lead signal) {
    }

    /** One row of the {@code signals.parquet} table: image path, lead, sample rate, values in mV. */
    public record SignalRow(String path, String lead, double sampleRateHz, double[] values) {
    }

    /** This image's rows of the signals table, one per lead. */
    public List<SignalRow> rows(String imagePath) {
        List<SignalRow> out = new ArrayList<>();
        for (Lead l : leads) {
            out.add(new SignalRow(imagePath, l.name(), l.sampleRateHz(), l.valuesMv()));
        }
        return out;
    }

    /** The leads by name, in layout order. */
    public Map<String, double[]> valuesByLead() {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Lead l : leads) {
            out.put(l.name(), l.valuesMv());
        }
        return out;
    }
}
