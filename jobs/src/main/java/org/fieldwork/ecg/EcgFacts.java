package org.fieldwork.ecg;

import java.io.Serializable;
import java.util.List;

/**
 * What an analysed image's manifest record keeps: its row of results.parquet, so that a resumed run
 * writes the table without reading the image again, and whether it left a signals part.
 */
public record EcgFacts(Integer width, Integer height, Integer contentX, Integer contentY, Integer contentW,
        Integer contentH, String gridColor, Double gridFinePx, Double gridBoldPx, Integer gridLinesH, Integer gridLinesV,
        Double pxPerMm, Double blurScore, Double dpi, Double contrast, Boolean qualityPass, List<String> qualityFailures,
        String device, String signalsPart) implements Serializable {

    static EcgFacts of(EcgResultsTable.Row r, String signalsPart) {
        return new EcgFacts(r.width(), r.height(), r.contentX(), r.contentY(), r.contentW(), r.contentH(), r.gridColor(),
                r.gridFinePx(), r.gridBoldPx(), r.gridLinesH(), r.gridLinesV(), r.pxPerMm(), r.blurScore(), r.dpi(),
                r.contrast(), r.qualityPass(), r.qualityFailures(), r.device(), signalsPart);
    }

    EcgResultsTable.Row row(String path) {
        return new EcgResultsTable.Row(path, width, height, contentX, contentY, contentW, contentH, gridColor, gridFinePx,
                gridBoldPx, gridLinesH, gridLinesV, pxPerMm, blurScore, dpi, contrast, qualityPass, qualityFailures,
                device, null);
    }
}
