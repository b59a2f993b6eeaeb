package org.fieldwork.ecg;

import java.io.Serializable;

/**
 * What an analysed image's manifest record keeps: its row of results.parquet, so that a resumed run
 * writes the table without reading the image again, and the signals part it left (null: none).
 */
public record EcgFacts(EcgResultsTable.Row row, String signalsPart) implements Serializable {
}
