package org.fieldwork.io.nd2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the picture metadata of an ND2 file ({@code ImageMetadataSeqLV|0!} or
 * {@code ImageMetadataSeq|0!}) says about every frame: the channel of each component (the planes of
 * {@code sPicturePlanes}, each with its component count), the calibration in µm per pixel and the
 * objective.
 *
 * @param channels      one name per component, in component order
 * @param pixelSizeUm   µm per pixel; NaN when the file is not calibrated
 * @param objective     the objective's name; "" when absent
 * @param magnification the objective's magnification (from its name when the file gives none); NaN when unknown
 * @param numericalAperture the objective's NA; NaN when absent
 * @param zoom          the zoom factor; NaN when absent
 */
record Nd2PictureMetadata(List<String> channels, double pixelSizeUm, String objective, double magnification,
                          double numericalAperture, double zoom) {

    private static final Pattern MAGNIFICATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*[xX](?![A-Za-z])");
    private static final Pattern PLANE_KEY = Pattern.compile("a(\\d+)");

    /** Channel names "Channel 0".. for a file without picture metadata. */
    static Nd2PictureMetadata unnamed(int components) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < components; i++) {
            names.add("Channel " + i);
        }
        return new Nd2PictureMetadata(names, Double.NaN, "", Double.NaN, Double.NaN, Double.NaN);
    }

    /** Reads the (unwrapped) picture metadata of a frame whose pixels hold {@code components} values. */
    static Nd2PictureMetadata from(Nd2Variant meta, int components) {
        List<String> channels = channelNames(meta.child("sPicturePlanes"), components);
        double calibration = Double.NaN;
        double c = meta.childDouble("dCalibration", Double.NaN);
        if (c > 0 && meta.childBool("bCalibrated", true)) {
            calibration = c;
        }
        String objective = meta.childString("wsObjectiveName", "").trim();
        double magnification = meta.childDouble("dObjectiveMag", Double.NaN);
        if (!(magnification > 0)) {
            Matcher m = MAGNIFICATION.matcher(objective);
            magnification = m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        }
        double na = meta.childDouble("dObjectiveNA", Double.NaN);
        double zoom = meta.childDouble("dZoom", Double.NaN);
        return new Nd2PictureMetadata(channels, calibration, objective, magnification, na > 0 ? na : Double.NaN,
                zoom > 0 ? zoom : Double.NaN);
    }

    /** The same metadata with the pixel size from the calibration chunk, where the picture metadata had none. */
    Nd2PictureMetadata withPixelSize(double um) {
        return new Nd2PictureMetadata(channels, um, objective, magnification, numericalAperture, zoom);
    }

    /**
     * One name per component: each plane of {@code sPlaneNew} (or the older {@code sPlane}) names
     * its components ("name" for one, "name 1".."name k" for several); "Channel i" where the planes do
     * not add up to the components or a plane has no name.
     */
    private static List<String> channelNames(Nd2Variant planes, int components) {
        List<String> names = new ArrayList<>();
        Nd2Variant list = planes == null ? null : planes.child("sPlaneNew");
        if (list == null && planes != null) {
            list = planes.child("sPlane");
        }
        if (list != null) {
            List<Nd2Variant> items = new ArrayList<>(list.children());
            if (items.stream().allMatch(p -> PLANE_KEY.matcher(p.name()).matches())) {
                items.sort(Comparator.comparingInt(p -> Integer.parseInt(p.name().substring(1))));
            }
            for (Nd2Variant plane : items) {
                Nd2Variant p = plane.unwrap();
                int k = (int) Math.max(1, p.childLong("uiCompCount", 1));
                String name = p.childString("sDescription", "").trim();
                for (int j = 0; j < k; j++) {
                    names.add(name.isEmpty() ? "" : k == 1 ? name : name + " " + (j + 1));
                }
            }
        }
        if (names.size() != components) {
            names.clear();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < components; i++) {
            String n = i < names.size() ? names.get(i) : "";
            out.add(n.isEmpty() ? "Channel " + i : n);
        }
        return out;
    }
}
