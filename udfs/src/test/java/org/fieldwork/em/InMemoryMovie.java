package org.fieldwork.em;

/** A movie held in memory, for tests. */
class InMemoryMovie implements MovieFrames {
    private final int width;
    private final int height;
    private final float[][] frames;

    InMemoryMovie(int width, int height, float[][] frames) {
        this.width = width;
        this.height = height;
        this.frames = frames;
    }

    @Override
    public String location() {
        return "memory";
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public int frames() {
        return frames.length;
    }

    @Override
    public double pixelSizeA() {
        return 0;
    }

    @Override
    public float[] frame(int index) {
        return frames[index].clone();
    }

    @Override
    public void close() {
    }
}
