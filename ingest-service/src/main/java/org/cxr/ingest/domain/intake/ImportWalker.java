package org.cxr.ingest.domain.intake;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.cxr.ingest.domain.ids.MimicPath;

/**
 * Lists the files of an import: every DICOM before every report (a report needs its study), in
 * path order. Symbolic links are not followed blindly: one that resolves outside the import root
 * is rejected ({@code PATH_OUTSIDE_ROOT}), so an import never reads outside the folder it was given.
 */
public final class ImportWalker {
    /** How the folder is organised. */
    public enum Layout {
        /** {@code files/pXX/pSUBJECT/sSTUDY/DICOM_ID.dcm} and {@code files/pXX/pSUBJECT/sSTUDY.txt}: ids kept. */
        MIMIC,
        /**
         * Any tree of DICOM files (any name) and {@code <StudyInstanceUID>.txt} reports: ids assigned.
         * DICOMDIR and index/manifest files (csv, json, xml, html, md, pdf, gz, zip, log) are skipped.
         */
        FOLDER
    }

    public enum Kind { DICOM, REPORT, SKIPPED }

    /**
     * A file to process.
     *
     * @param relative the path below the root, with '/' separators (safe to log: no identifiers in MIMIC trees;
     *                 for folder imports it may be a StudyInstanceUID, so the service logs only counts)
     * @param ids      MIMIC ids from the path (MIMIC layout), else null
     * @param rejected why the file is refused before it is even read, else null
     */
    public record Item(Path file, String relative, Kind kind, MimicPath ids, IntakeRejected rejected) {
    }

    private ImportWalker() {
    }

    public static List<Item> walk(Path root, Layout layout) throws IOException {
        Path realRoot = root.toRealPath();
        List<Item> items = new ArrayList<>();
        Files.walkFileTree(realRoot, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(realRoot) && dir.getFileName().toString().startsWith(".")
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String rel = realRoot.relativize(file).toString().replace('\\', '/');
                String name = file.getFileName().toString();
                if (name.startsWith(".") || name.endsWith(".reason.txt")) {
                    return FileVisitResult.CONTINUE;
                }
                Path target = file;
                if (attrs.isSymbolicLink()) {
                    try {
                        target = file.toRealPath();
                    } catch (IOException e) {
                        items.add(rejected(file, rel, "dangling symbolic link"));
                        return FileVisitResult.CONTINUE;
                    }
                    if (!target.startsWith(realRoot) || !Files.isRegularFile(target)) {
                        items.add(rejected(file, rel, "symbolic link to a path outside the import root"));
                        return FileVisitResult.CONTINUE;
                    }
                } else if (!attrs.isRegularFile()) {
                    items.add(rejected(file, rel, "not a regular file"));
                    return FileVisitResult.CONTINUE;
                }
                items.add(classify(target, rel, layout));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                items.add(new Item(file, realRoot.relativize(file).toString(), Kind.DICOM, null,
                        new IntakeRejected(RejectReason.UNSUPPORTED_FILE, "cannot read: " + exc.getClass().getSimpleName())));
                return FileVisitResult.CONTINUE;
            }
        });
        items.sort(Comparator.comparing((Item i) -> i.kind() == Kind.REPORT).thenComparing(Item::relative));
        return items;
    }

    /** Files a folder export carries next to its images that are certainly not instances (indexes, manifests). */
    private static final Pattern NOT_AN_INSTANCE =
            Pattern.compile("(?:.*/)?(?:dicomdir|.*\\.(?:csv|tsv|json|xml|html?|md|pdf|gz|zip|log))");

    static Item classify(Path file, String rel, Layout layout) {
        String lower = rel.toLowerCase(Locale.ROOT);
        boolean txt = lower.endsWith(".txt");
        if (layout == Layout.FOLDER) {
            Kind kind = txt ? Kind.REPORT : NOT_AN_INSTANCE.matcher(lower).matches() ? Kind.SKIPPED : Kind.DICOM;
            return new Item(file, rel, kind, null, null);
        }
        Kind kind = txt ? Kind.REPORT : lower.endsWith(".dcm") ? Kind.DICOM : Kind.SKIPPED;
        if (kind == Kind.SKIPPED) {
            return new Item(file, rel, kind, null, null); // index files, checksums, READMEs of a MIMIC release
        }
        try {
            Optional<MimicPath> ids = MimicPath.parse(Path.of(rel));
            if (ids.isEmpty()) {
                return new Item(file, rel, kind, null, new IntakeRejected(RejectReason.BAD_ID,
                        "not in the MIMIC layout files/pXX/pSUBJECT/sSTUDY/DICOM_ID.dcm or files/pXX/pSUBJECT/sSTUDY.txt"));
            }
            return new Item(file, rel, kind, ids.get(), null);
        } catch (IntakeRejected e) {
            return new Item(file, rel, kind, null, e);
        }
    }

    private static Item rejected(Path file, String rel, String why) {
        return new Item(file, rel, Kind.DICOM, null, new IntakeRejected(RejectReason.PATH_OUTSIDE_ROOT, why));
    }
}
