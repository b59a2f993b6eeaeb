package org.fieldwork.omr;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.opencv.opencv_core.Mat;

/** Collects stage images up to a level; level 0 records nothing and costs nothing. */
public final class StageRecorder {
    public static final StageRecorder NONE = new StageRecorder(0);

    private final int maxLevel;
    private final List<StageImage> images = new ArrayList<>();

    public StageRecorder(int maxLevel) {
        this.maxLevel = maxLevel;
    }

    public boolean wants(int level) {
        return level <= maxLevel;
    }

    public void add(int level, String name, Mat image) {
        if (wants(level)) {
            images.add(new StageImage(level, name, GrayImage.png(image)));
        }
    }

    public List<StageImage> images() {
        return List.copyOf(images);
    }
}
