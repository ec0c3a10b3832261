package org.cxr.catalog.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What {@code ./cxr release OUT} keeps in {@code OUT/.cxr-release/} so that a run stopped in any way
 * (Ctrl-C, kill -9, a cut connection, a catalog restart) continues the same release:
 * <ul>
 * <li>{@code release.json}: the release id, when the catalog created it and the catalog's URL,
 * written as soon as the catalog accepted the release (before it is built);</li>
 * <li>{@code journal}: one line per event, appended and flushed at once — {@code part ETAG PATH}
 * before the bytes of a file are written to {@code PATH.part}, {@code done SHA256 PATH} once the file
 * is complete, checked and renamed. A file is trusted on the next run only if its bytes still hash
 * to its {@code done} line (JPGs, which the release listing does not checksum) or to the listing
 * (the release files); a {@code .part} is continued only with the ETag its bytes came with.</li>
 * </ul>
 */
final class DownloadState {
    static final String DIR = ".cxr-release";

    /** The release a folder holds. */
    record Held(int releaseId, String createdAt, String catalog, Integer since) {
    }

    private final Path out;
    private final Path dir;
    private final Map<String, String> done = new ConcurrentHashMap<>();
    private final Map<String, String> partEtags = new ConcurrentHashMap<>();
    private Held held;
    private OutputStream journal;

    private DownloadState(Path out) {
        this.out = out;
        this.dir = out.resolve(DIR);
    }

    /** The state of OUT (none when OUT holds no download). */
    static DownloadState open(Path out) throws IOException {
        DownloadState s = new DownloadState(out);
        Path release = s.dir.resolve("release.json");
        if (Files.exists(release)) {
            JsonNode n = CatalogClient.JSON.readTree(release.toFile());
            s.held = new Held(n.get("releaseId").asInt(), n.path("createdAt").asText(null), n.path("catalog").asText(null),
                    n.hasNonNull("since") ? n.get("since").asInt() : null);
        }
        Path journal = s.dir.resolve("journal");
        if (Files.exists(journal)) {
            for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t", 3);
                if (f.length < 3) {
                    continue; // the last line of a run killed while writing it
                }
                if ("done".equals(f[0])) {
                    s.done.put(f[2], f[1]);
                    s.partEtags.remove(f[2]);
                } else if ("part".equals(f[0])) {
                    s.partEtags.put(f[2], f[1]);
                    s.done.remove(f[2]);
                }
            }
        }
        return s;
    }

    Held held() {
        return held;
    }

    /** True when OUT has entries besides this state (a folder the command did not write). */
    boolean outHoldsOtherFiles() throws IOException {
        if (!Files.isDirectory(out)) {
            return false;
        }
        try (var entries = Files.list(out)) {
            return entries.anyMatch(p -> !p.getFileName().toString().equals(DIR));
        }
    }

    /** Records the release OUT now holds (before anything of it is downloaded). */
    void hold(int releaseId, String createdAt, String catalog, Integer since) throws IOException {
        Files.createDirectories(dir);
        ObjectNode n = CatalogClient.JSON.createObjectNode().put("releaseId", releaseId).put("createdAt", createdAt)
                .put("catalog", catalog);
        if (since != null) {
            n.put("since", since);
        }
        Path tmp = dir.resolve("release.json.tmp");
        Files.writeString(tmp, n.toPrettyString() + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve("release.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        held = new Held(releaseId, createdAt, catalog, since);
    }

    /**
     * Removes what this command wrote for the release OUT held (every file of its journal, its
     * {@code .part} files, folders left empty, the state): for {@code --new}. Nothing else in OUT
     * is touched.
     */
    void discard() throws IOException {
        closeJournal();
        Map<String, String> written = new HashMap<>(done);
        written.putAll(partEtags);
        for (String path : written.keySet()) {
            Path f = out.resolve(path);
            Files.deleteIfExists(f);
            Files.deleteIfExists(part(f));
            for (Path d = f.getParent(); d != null && !d.equals(out) && d.startsWith(out); d = d.getParent()) {
                try {
                    Files.delete(d);
                } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                    break;
                }
            }
        }
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        done.clear();
        partEtags.clear();
        held = null;
    }

    /** The sha256 a complete file had when it was written, or null. */
    String doneSha(String path) {
        return done.get(path);
    }

    /** The ETag of the bytes in {@code PATH.part}, or null. */
    String partEtag(String path) {
        return partEtags.get(path);
    }

    void parting(String path, String etag) throws IOException {
        partEtags.put(path, etag);
        append("part\t" + etag + "\t" + path + "\n");
    }

    void finished(String path, String sha256) throws IOException {
        done.put(path, sha256);
        partEtags.remove(path);
        append("done\t" + sha256 + "\t" + path + "\n");
    }

    static Path part(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    /** One write per line, unbuffered: a killed run loses at most the line being written. */
    private synchronized void append(String line) throws IOException {
        if (journal == null) {
            Files.createDirectories(dir);
            journal = Files.newOutputStream(dir.resolve("journal"), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        journal.write(line.getBytes(StandardCharsets.UTF_8));
    }

    synchronized void closeJournal() throws IOException {
        if (journal != null) {
            journal.close();
            journal = null;
        }
    }
}
