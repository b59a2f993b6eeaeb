package org.fieldwork.ecg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.Test;

class EcgRendererTest {

    @Test
    void groundTruthPointsAreInked() throws Exception {
        WfdbRecord record = WfdbRecord.read(SharedData.require("ecg/SampleData_PTB_XL_data_00001_lr.hea"));
        RenderedEcg page = EcgRenderer.render(record, EcgLayout.standard(), EcgRenderer.Options.clean(6));
        assertEquals(13, page.panels().size());
        assertEquals(Math.round(297 * 6.0), page.image().cols());
        double pxPerSample = 6 * 25 / record.sampleRateHz();
        int dark = 0;
        int total = 0;
        try (UByteIndexer ix = page.image().createIndexer()) {
            for (RenderedEcg.Panel p : page.panels()) {
                assertEquals(Math.round(p.place().seconds() * record.sampleRateHz()), p.valuesMv().length);
                assertEquals(record.lead(p.place().lead())[p.firstSample()], p.valuesMv()[0]);
                for (int i = 0; i < p.valuesMv().length; i++) {
                    int x = (int) Math.round(p.xStartPx() + i * pxPerSample);
                    int y = (int) Math.round(p.baselineRowPx() - p.valuesMv()[i] * 10 * 6);
                    int v = Math.max(ix.get(y, x, 0), Math.max(ix.get(y, x, 1), ix.get(y, x, 2)));
                    total++;
                    if (v < 100) {
                        dark++;
                    }
                }
            }
        } finally {
            page.image().close();
        }
        assertTrue(dark > 0.99 * total, dark + " of " + total + " sample points are on dark ink");
    }

    @Test
    void standardLayoutPanels() {
        var panels = EcgLayout.standard().panels();
        assertEquals(13, panels.size());
        assertEquals("V4", panels.get(3).lead());
        assertEquals(7.5, panels.get(3).startSeconds());
        assertEquals(2.5, panels.get(3).seconds());
        assertEquals("II", panels.get(12).lead());
        assertEquals(10, panels.get(12).seconds());
    }
}
