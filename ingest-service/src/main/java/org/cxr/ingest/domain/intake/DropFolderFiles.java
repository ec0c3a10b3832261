package org.cxr.ingest.domain.intake;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;

/**
 * File handling of the drop folder that must not race with writers. A complete file is first
 * renamed into the service's own staging folder: a rename never follows a symbolic link and never
 * opens the file, so a writer that swaps the file for a link (to read a file outside the folder)
 * or for a FIFO (to block the scanner forever) after it was seen only gets its link or FIFO staged,
 * which is then refused by its own type, never opened.
 */
public final class DropFolderFiles {
    /** What was staged. */
    public enum Type { REGULAR, SYMBOLIC_LINK, OTHER }

    public record Staged(Path path, Type type, long size) {
    }

    private DropFolderFiles() {
    }

    /** Renames {@code file} to {@code target} (a free name next to it) and says what it is; empty when the file vanished. */
    public static Optional<Staged> stage(Path file, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path to = free(target);
        try {
            Files.move(file, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(inspect(to));
    }

    /** The type of a staged entry, read without following links. */
    public static Staged inspect(Path staged) throws IOException {
        BasicFileAttributes a = Files.readAttributes(staged, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Type t = a.isSymbolicLink() ? Type.SYMBOLIC_LINK : a.isRegularFile() ? Type.REGULAR : Type.OTHER;
        return new Staged(staged, t, a.size());
    }

    /** The target name, or name.1, name.2 ... when that name is taken. */
    public static Path free(Path target) {
        Path p = target;
        for (int i = 1; Files.exists(p, LinkOption.NOFOLLOW_LINKS); i++) {
            p = target.resolveSibling(target.getFileName() + "." + i);
        }
        return p;
    }

    /** Moves {@code from} to a free name at {@code to}, stamped with {@code now} (the retention clock). */
    public static Path moveStamped(Path from, Path to, Instant now) throws IOException {
        Files.createDirectories(to.getParent());
        Path target = free(to);
        Files.move(from, target, StandardCopyOption.ATOMIC_MOVE);
        if (inspect(target).type() == Type.REGULAR) { // setting times may open the file: never a FIFO's
            Files.setLastModifiedTime(target, FileTime.from(now));
        }
        return target;
    }

    /** Deletes the files under {@code dir} last stamped before {@code cutoff}; the number deleted. */
    public static int purge(Path dir, Instant cutoff) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int[] n = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.lastModifiedTime().toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(file);
                    n[0]++;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return FileVisitResult.CONTINUE;
            }
        });
        return n[0];
    }
}
