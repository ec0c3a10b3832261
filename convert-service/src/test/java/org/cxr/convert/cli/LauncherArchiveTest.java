package org.cxr.convert.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/cxr-convert's class-data-sharing archive is used while it matches the class path, and
 * written again when a jar on it changes: the JVM would otherwise ignore the stale archive in
 * silence on every run (it did after each reactor build). Each run uses {@code -Xshare:on}, with
 * which the JVM refuses to start rather than run without an archive it was given.
 */
class LauncherArchiveTest {
    @TempDir
    Path tmp;

    @Test
    void archiveIsReusedWhileFreshAndWrittenAgainWhenAJarChanges() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path target = Files.createDirectories(tmp.resolve("target"));
        Files.createDirectories(target.resolve("classes"));
        Files.copy(Path.of("bin/cxr-convert"), bin.resolve("cxr-convert"));
        bin.resolve("cxr-convert").toFile().setExecutable(true);
        jar(Path.of("target/classes"), target.resolve("convert-service-0-test.jar"));
        Path extra = tmp.resolve("extra.jar"); // a jar on the class path that the test may change
        new JarOutputStream(Files.newOutputStream(extra)).close();
        Files.writeString(target.resolve("cli-classpath.txt"),
                Files.readString(Path.of("target/cli-classpath.txt")).strip() + ":" + extra);
        Path jsa = target.resolve("convert-cli.jsa");

        run(bin); // first run: writes the archive
        assertThat(jsa).exists();
        FileTime written = Files.getLastModifiedTime(jsa);
        run(bin);
        assertThat(Files.getLastModifiedTime(jsa)).as("a fresh archive is mapped, not written again").isEqualTo(written);

        Thread.sleep(20);
        Files.setLastModifiedTime(extra, FileTime.from(Instant.now()));
        run(bin);
        FileTime rewritten = Files.getLastModifiedTime(jsa);
        assertThat(rewritten).as("written again after a jar on the class path changed").isGreaterThan(written);
        run(bin);
        assertThat(Files.getLastModifiedTime(jsa)).isEqualTo(rewritten);
    }

    private static void run(Path bin) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(bin.resolve("cxr-convert").toString(), "--version")
                .redirectErrorStream(true);
        pb.environment().put("CXR_JAVA_OPTS", "-Xshare:on");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        assertThat(output).startsWith("cxr-convert/");
    }

    /** The jar of the compiled classes, as the build's package phase makes it. */
    private static void jar(Path classes, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                out.putNextEntry(new java.util.jar.JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }
}
