package org.fieldwork.omr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

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
        if (!Files.isDirectory(root)) {
            throw new OmrConfigException(root.toString(), "", "input folder does not exist");
        }
        List<ImageFolder> out = new ArrayList<>();
        walk(root, root, new Effective(null, null, null), new Cache(), out);
        return out;
    }

    static FolderConfig configFor(Path root, Path folder) {
        Path rel = root.relativize(folder);
        Effective eff = step(root, new Effective(null, null, null));
        Path dir = root;
        for (Path part : rel) {
            if (part.toString().isEmpty()) {
                continue;
            }
            dir = dir.resolve(part);
            eff = step(dir, eff);
        }
        if (eff.template == null) {
            throw new OmrConfigException(folder.toString(), TEMPLATE, "no template.json in this folder or above it");
        }
        return new Cache().get(folder, eff);
    }

    private static Effective step(Path dir, Effective parent) {
        Path t = dir.resolve(TEMPLATE);
        Path c = dir.resolve(CONFIG);
        Path e = dir.resolve(EVALUATION);
        return new Effective(Files.isRegularFile(t) ? t : parent.template, Files.isRegularFile(c) ? c : parent.config,
                Files.isRegularFile(e) ? e : parent.evaluation);
    }

    /** Loads each distinct combination of files once per walk. */
    private static final class Cache {
        private final Map<Effective, FolderConfig> loaded = new HashMap<>();

        FolderConfig get(Path folder, Effective eff) {
            FolderConfig c = loaded.computeIfAbsent(eff, e -> {
                TuningConfig config = e.config == null ? TuningConfig.defaults() : TuningConfig.load(e.config);
                SheetTemplate template = SheetTemplate.load(e.template, config);
                EvaluationConfig evaluation = e.evaluation == null ? null : EvaluationConfig.load(e.evaluation, template, config);
                return new FolderConfig(folder.toString(), template, config, evaluation);
            });
            return new FolderConfig(folder.toString(), c.template, c.config, c.evaluation);
        }
    }

    private static void walk(Path root, Path dir, Effective parent, Cache cache, List<ImageFolder> out) {
        Effective eff = step(dir, parent);
        if (eff.evaluation != null && eff.template == null) {
            throw new OmrConfigException(eff.evaluation.toString(), "", "evaluation.json without a template.json in its folder or above");
        }
        FolderConfig config = eff.template == null ? null : cache.get(dir, eff);
        List<Path> subdirs = new ArrayList<>();
        List<Path> images = list(dir, config, subdirs);
        if (!images.isEmpty()) {
            if (config == null) {
                throw new OmrConfigException(dir.toString(), TEMPLATE,
                        "folder has sheet images but no template.json in it or in a folder above it");
            }
            out.add(new ImageFolder(dir, root.relativize(dir), config, List.copyOf(images)));
        }
        for (Path d : subdirs) {
            walk(root, d, eff, cache, out);
        }
    }

    /**
     * One folder's sheets and configuration, inheriting from the folders between {@code root} and it
     * (for a job that is pointed at a single subfolder).
     */
    public static ImageFolder folder(Path root, Path folder) {
        FolderConfig config = configFor(root, folder);
        return new ImageFolder(folder, root.relativize(folder), config, List.copyOf(list(folder, config, new ArrayList<>())));
    }

    private static List<Path> list(Path dir, FolderConfig config, List<Path> subdirs) {
        List<Path> images = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                if (Files.isDirectory(p)) {
                    subdirs.add(p);
                } else if (isSheetName(p.getFileName().toString())) {
                    images.add(p);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
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
