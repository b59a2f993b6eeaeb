package org.fieldwork.kernels;

/**
 * How a kernel reads pixels outside the image, with OpenCV's meaning of the names.
 * {@link #REFLECT_101} is OpenCV's default (gfedcb|abcdefgh|gfedcba), reflected again as often as a
 * wide window on a small image needs; {@link #REPLICATE} repeats the edge pixel
 * (aaaaaa|abcdefgh|hhhhhhh) and is what Canny uses. Each kernel applies the rule in its body.
 */
public enum Border {
    REFLECT_101(0), REPLICATE(1);

    /** The integer handed to Aparapi kernels (they cannot take enums). */
    final int code;

    Border(int code) {
        this.code = code;
    }
}
