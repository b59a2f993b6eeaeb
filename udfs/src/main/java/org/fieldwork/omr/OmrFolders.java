package org.fieldwork.omr;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * OMRChecker's folder walk. A folder's template.json, config.json and evaluation.json apply to it
 * and to its subfolders until a subfolder has its own. Sheets are the folder's *.png, *.jpg and
 * *.jpeg files (any case, not hidden), sorted by name, minus images that pre-processors read
 * (markers, reference images). All configuration is loaded and checked while walking, so errors
 * surface before any sheet is read.
 */
public final class OmrFolders {
    public static final String TEMPLATE = "template.json";
    public static final String CONFIG = "config.json";
    public static final String EVALUATION = "evaluation.json";

    private OmrFolders() {
    }

    /** A folder with sheets: where it is, its path relative to the walk's root, its configuration and sheets. */
    public record ImageFolder(Path folder, Path relative, FolderConfig config, List<Path> images) {
    }

    /** Effective files while walking down; the config is rebuilt whenever one of them changes. */
    private record Effective(Path template, Path config, Path evaluation) {
    }

    /** Every folder under {@code root} (root first, then subfolders by name, depth first) that has sheets. */
    public static List<ImageFolder> walk(Path root) {
        return walk(InputTree.local(root));
    }

    /** As {@link #walk(Path)}, over a local or remote tree from its root. */
    public static List<ImageFolder> walk(InputTree tree) {
        return walk(tree, null);
    }

    /**
     * As {@link #walk(InputTree)}, leaving out the folder {@code excluded} and everything in it (a
     * run's output inside its input, whose checked and stage images are not sheets); null for none.
     */
    public static List<ImageFolder> walk(InputTree tree, Path excluded) {
        Path root = tree.root();
        if (!tree.isDirectory(root)) {
            throw new OmrConfigException(tree.name(root), "", "input folder does not exist");
        }
        List<ImageFolder> out = new ArrayList<>();
        Path skip = excluded == null ? null : excluded.toAbsolutePath().normalize();
        walk(tree, root, new Effective(null, null, null), new Cache(tree), skip, out);
        return out;
    }

    static FolderConfig configFor(Path root, Path folder) {
        return configFor(InputTree.local(root), folder);
    }

    private static FolderConfig configFor(InputTree tree, Path folder) {
        Path root = tree.root();
        Path rel = root.relativize(folder);
        Effective eff = step(tree, root, new Effective(null, null, null));
        Path dir = root;
        for (Path part : rel) {
            if (part.toString().isEmpty()) {
                continue;
            }
            dir = dir.resolve(part);
            eff = step(tree, dir, eff);
        }
        if (eff.template == null) {
            throw new OmrConfigException(tree.name(folder), TEMPLATE, "no template.json in this folder or above it");
        }
        return new Cache(tree).get(folder, eff);
    }

    private static Effective step(InputTree tree, Path dir, Effective parent) {
        Path t = dir.resolve(TEMPLATE);
        Path c = dir.resolve(CONFIG);
        Path e = dir.resolve(EVALUATION);
        return new Effective(tree.isFile(t) ? t : parent.template, tree.isFile(c) ? c : parent.config,
                tree.isFile(e) ? e : parent.evaluation);
    }

    /** Loads each distinct combination of files once per walk. */
    private static final class Cache {
        private final InputTree tree;
        private final Map<Effective, FolderConfig> loaded = new HashMap<>();

        Cache(InputTree tree) {
            this.tree = tree;
        }

        FolderConfig get(Path folder, Effective eff) {
            FolderConfig c = loaded.computeIfAbsent(eff, e -> {
                FingerprintedTree read = new FingerprintedTree(tree);
                TuningConfig config = e.config == null ? TuningConfig.defaults() : TuningConfig.load(read, e.config);
                SheetTemplate template = SheetTemplate.load(read, e.template, config);
                // The evaluation's files apart: editing the answer key re-scores sheets without reading them again.
                FingerprintedTree scoring = new FingerprintedTree(tree);
                EvaluationConfig evaluation = e.evaluation == null ? null
                        : EvaluationConfig.load(scoring, e.evaluation, template, config);
                return new FolderConfig(tree.name(folder), template, config, evaluation, read.fingerprint(),
                        e.evaluation == null ? "" : scoring.fingerprint());
            });
            return new FolderConfig(tree.name(folder), c.template, c.tuning, c.evaluation, c.fingerprint, c.scoringFingerprint);
        }
    }

    private static void walk(InputTree tree, Path dir, Effective parent, Cache cache, Path excluded, List<ImageFolder> out) {
        Effective eff = step(tree, dir, parent);
        if (eff.evaluation != null && eff.template == null) {
            throw new OmrConfigException(tree.name(eff.evaluation), "", "evaluation.json without a template.json in its folder or above");
        }
        FolderConfig config = eff.template == null ? null : cache.get(dir, eff);
        List<Path> subdirs = new ArrayList<>();
        List<Path> images = list(tree, dir, config, subdirs);
        if (!images.isEmpty()) {
            if (config == null) {
                throw new OmrConfigException(tree.name(dir), TEMPLATE,
                        "folder has sheet images but no template.json in it or in a folder above it");
            }
            out.add(new ImageFolder(dir, tree.root().relativize(dir), config, List.copyOf(images)));
        }
        for (Path d : subdirs) {
            if (excluded == null || !d.toAbsolutePath().normalize().equals(excluded)) {
                walk(tree, d, eff, cache, excluded, out);
            }
        }
    }

    /**
     * One folder's sheets and configuration, inheriting from the folders between {@code root} and it
     * (for a job that is pointed at a single subfolder).
     */
    public static ImageFolder folder(Path root, Path folder) {
        InputTree tree = InputTree.local(root);
        FolderConfig config = configFor(tree, folder);
        return new ImageFolder(folder, root.relativize(folder), config, List.copyOf(list(tree, folder, config, new ArrayList<>())));
    }

    private static List<Path> list(InputTree tree, Path dir, FolderConfig config, List<Path> subdirs) {
        List<Path> images = new ArrayList<>();
        for (Path p : tree.list(dir)) {
            if (tree.isDirectory(p)) {
                subdirs.add(p);
            } else if (isSheetName(p.getFileName().toString())) {
                images.add(p);
            }
        }
        if (config != null) {
            Set<Path> referenced = new HashSet<>();
            for (String f : config.template.referencedFiles()) {
                referenced.add(Path.of(f).toAbsolutePath().normalize());
            }
            images.removeIf(p -> referenced.contains(p.toAbsolutePath().normalize()));
        }
        images.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        subdirs.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        return images;
    }

    /** *.png, *.jpg, *.jpeg in any case; hidden files are not sheets (as with glob). */
    public static boolean isSheetName(String name) {
        if (name.startsWith(".")) {
            return false;
        }
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

}
