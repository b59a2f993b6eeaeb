package org.fieldwork.microscopy;

import com.univocity.parsers.csv.CsvWriter;
import com.univocity.parsers.csv.CsvWriterSettings;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A field of view's traces in PyAMA's CSV layout, one file per fluorescence channel:
 * {@code fov,cell_id,frame,good,position_x,position_y,area,intensity_total,intensity_mean}, rows
 * by cell then frame, {@code good} as True/False as pandas writes it.
 */
public final class TracesCsv {
    public static final String[] HEADER = {"fov", "cell_id", "frame", "good", "position_x", "position_y", "area",
        "intensity_total", "intensity_mean"};

    private TracesCsv() {
    }

    /**
     * The file name for the k-th fluorescence channel: traces.csv for the first, traces_GROUP.csv after
     * it, GROUP the channel's folder name ({@link FovArrays#groupNames}).
     */
    public static String fileName(int channelIndex, String group) {
        return channelIndex == 0 ? "traces.csv" : "traces_" + group + ".csv";
    }

    public static byte[] render(int fov, List<TraceRow> rows, int channel) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CsvWriterSettings settings = new CsvWriterSettings();
        settings.getFormat().setLineSeparator("\n");
        CsvWriter w = new CsvWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), settings);
        w.writeHeaders(HEADER);
        for (TraceRow r : rows) {
            w.writeRow(Integer.toString(fov), Integer.toString(r.cellId()), Integer.toString(r.frame()),
                    r.good() ? "True" : "False", Double.toString(r.positionX()), Double.toString(r.positionY()),
                    Integer.toString(r.area()), Double.toString(r.intensityTotal()[channel]),
                    Double.toString(r.intensityMean(channel)));
        }
        w.close();
        return bytes.toByteArray();
    }
}
