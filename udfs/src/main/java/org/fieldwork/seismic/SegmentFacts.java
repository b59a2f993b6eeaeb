package org.fieldwork.seismic;

/**
 * What an imported segment tells the merge: how many gathers start in it, how many header rows it
 * wrote (the merge checks them against its trace count), its whole chunks and its edge pieces.
 */
public record SegmentFacts(long gatherCount, long headerRows, long fullChunks, int edgePieces) implements java.io.Serializable {
}
