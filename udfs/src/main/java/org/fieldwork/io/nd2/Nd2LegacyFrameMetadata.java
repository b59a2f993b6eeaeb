package org.fieldwork.io.nd2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the frame metadata box ({@code VIMD}, root {@code MetadataSeq}) of a legacy ND2 file says:
 * the channel planes ({@code PicturePlanes}: a {@code Count} and one {@code Plane} item per plane,
 * named by its {@code OpticalConfigName}), the calibration in µm per pixel and the objective. Every
 * frame has such a box; the reader takes the channels from frame 0's and each time point's
 * {@code TimeMSec} from its own.
 *
 * @param planes       the declared number of channel planes; 0 when the box does not say
 * @param planeNames   each plane's name in plane order ("" where it has none); empty when not listed
 * @param pixelSizeUm  µm per pixel; NaN when not calibrated
 * @param objective    the objective's name; "" when absent
 * @param magnification the objective's magnification; NaN when absent
 * @param numericalAperture the objective's NA; NaN when absent
 */
record Nd2LegacyFrameMetadata(int planes, List<String> planeNames, double pixelSizeUm, String objective,
                              double magnification, double numericalAperture) {

    static final Nd2LegacyFrameMetadata NONE = new Nd2LegacyFrameMetadata(0, List.of(), Double.NaN, "", Double.NaN,
            Double.NaN);

    static Nd2LegacyFrameMetadata from(Nd2Variant vimd) {
        Nd2Variant planes = Nd2LegacyXml.search(vimd, "PicturePlanes");
        int count = (int) Math.max(0, Math.min(Integer.MAX_VALUE,
                Nd2LegacyXml.whole(Nd2LegacyXml.item(planes, "Count"), 0)));
        double calibration = Nd2LegacyXml.number(vimd, "Calibration");
        boolean calibrated = Nd2LegacyXml.flag(Nd2LegacyXml.search(vimd, "Calibrated"), true);
        double pixelSize = calibration > 0 && calibrated ? calibration : Double.NaN;
        double magnification = positive(Nd2LegacyXml.number(vimd, "ObjectiveMag"));
        double na = positive(Nd2LegacyXml.number(vimd, "ObjectiveNA"));
        String objective = Nd2LegacyXml.text(vimd, "ObjectiveName");
        return new Nd2LegacyFrameMetadata(count, planeNames(planes), pixelSize, objective, magnification, na);
    }

    /** A frame's acquisition time in ms; NaN when its box does not say. */
    static double timeMs(Nd2Variant vimd) {
        return Nd2LegacyXml.number(vimd, "TimeMSec");
    }

    /** The planes' names, in the order of their numbered items ("a0", "a1"...) where they are numbered. */
    private static List<String> planeNames(Nd2Variant planes) {
        Nd2Variant list = Nd2LegacyXml.item(planes, "PlaneNew");
        if (list == null) {
            list = Nd2LegacyXml.item(planes, "Plane");
        }
        if (list == null || !list.isLevel()) {
            return List.of();
        }
        List<Nd2Variant> items = new ArrayList<>(list.children().stream().filter(Nd2Variant::isLevel).toList());
        if (items.stream().allMatch(p -> Nd2LegacyXml.key(p.name()).matches("\\d{1,9}"))) {
            items.sort(Comparator.comparingInt(p -> Integer.parseInt(Nd2LegacyXml.key(p.name()))));
        }
        List<String> names = new ArrayList<>();
        for (Nd2Variant p : items) {
            String name = first(p, "OpticalConfigName", "Description", "Name");
            names.add(name);
        }
        return names;
    }

    private static String first(Nd2Variant plane, String... keys) {
        for (String k : keys) {
            Nd2Variant v = Nd2LegacyXml.item(plane, k);
            if (v != null && !v.isLevel() && !String.valueOf(v.value()).isBlank()) {
                return String.valueOf(v.value()).trim();
            }
        }
        return "";
    }

    private static double positive(double v) {
        return v > 0 ? v : Double.NaN;
    }

    /**
     * One name per channel of a frame that holds {@code codestreams} planes of {@code components}
     * samples each: a plane's name (with " 1".." k" for a colour plane) where the planes are listed
     * one per codestream, or the names as listed where they name every channel; "Channel i" where
     * neither fits or a name is empty.
     */
    List<String> channelNames(int codestreams, int components) {
        List<String> names = new ArrayList<>();
        if (planeNames.size() == codestreams) {
            for (String plane : planeNames) {
                for (int k = 0; k < components; k++) {
                    names.add(plane.isEmpty() || components == 1 ? plane : plane + " " + (k + 1));
                }
            }
        } else if (planeNames.size() == codestreams * components) {
            names.addAll(planeNames);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < codestreams * components; i++) {
            String n = i < names.size() ? names.get(i) : "";
            out.add(n.isEmpty() ? "Channel " + i : n);
        }
        return out;
    }
}
