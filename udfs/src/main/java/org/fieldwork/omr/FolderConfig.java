package org.fieldwork.omr;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * The configuration in force for one folder of sheets: template, tuning config and optional
 * evaluation, each from the folder itself or the nearest parent that has the file. Serializable, so
 * a Spark job ships it to tasks once per folder.
 */
public final class FolderConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public final String folder;
    public final SheetTemplate template;
    /** config.json as it applies here (OMRChecker's tuning), merged onto the defaults. */
    public final TuningConfig tuning;
    /** Null when no evaluation.json applies. */
    public final EvaluationConfig evaluation;
    /**
     * Digest of the files that decide how sheets are read (template, config, marker and reference
     * images): it changes when any of them does.
     */
    public final String fingerprint;
    /** Digest of the files that decide the scores (evaluation.json, its answer key): "" without evaluation. */
    public final String scoringFingerprint;

    public FolderConfig(String folder, SheetTemplate template, TuningConfig config, EvaluationConfig evaluation,
                        String fingerprint, String scoringFingerprint) {
        this.folder = folder;
        this.template = template;
        this.tuning = config;
        this.evaluation = evaluation;
        this.fingerprint = fingerprint;
        this.scoringFingerprint = scoringFingerprint;
    }

    /**
     * The configuration of {@code folder} as a walk from {@code root} sees it (files in folders
     * between root and folder are inherited; the folder's own files replace them).
     */
    public static FolderConfig load(Path root, Path folder) {
        return OmrFolders.configFor(root, folder);
    }

    public List<String> outputColumns() {
        return template.outputColumns;
    }
}
