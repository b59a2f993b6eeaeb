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
    public final TuningConfig config;
    /** Null when no evaluation.json applies. */
    public final EvaluationConfig evaluation;
    /** Digest of every file this configuration was loaded from: it changes when any of them does. */
    public final String fingerprint;

    public FolderConfig(String folder, SheetTemplate template, TuningConfig config, EvaluationConfig evaluation,
                        String fingerprint) {
        this.folder = folder;
        this.template = template;
        this.config = config;
        this.evaluation = evaluation;
        this.fingerprint = fingerprint;
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
