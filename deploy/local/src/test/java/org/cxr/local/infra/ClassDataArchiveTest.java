package org.cxr.local.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class-data archives on a real JVM: the first start writes one at exit, the next
 * maps it (the application's class comes from the "shared objects file"), a newer jar makes the
 * next start write it again; an archive written while a jar changed, or by a JVM killed, is dropped.
 */
class ClassDataArchiveTest {
    /** The application of the child JVMs: prints a line and exits. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println("probe ran");
        }
    }

    @TempDir
    Path dir;

    @Test
    void writtenByTheFirstStartMappedByTheNextRewrittenAfterTheJarChanged() throws Exception {
        Path jar = probeJar(dir.resolve("app/probe.jar"));
        ClassDataArchive archive = new ClassDataArchive(dir.resolve("app/cxr-launcher.jsa"), List.of(dir.resolve("app")));

        ClassDataArchive.Start first = archive.start();
        assertThat(first.writes()).isNotNull();
        assertThat(run(first, jar)).contains("probe ran");
        archive.exited(first, 0);
        assertThat(dir.resolve("app/cxr-launcher.jsa")).isNotEmptyFile();
        assertThat(first.writes()).doesNotExist();

        ClassDataArchive.Start second = archive.start();
        assertThat(second.writes()).isNull();
        assertThat(run(second, jar, "-Xshare:on", "-Xlog:class+load=info"))
                .containsPattern("ClassDataArchiveTest\\$Probe source: shared objects file \\(top\\)");

        FileTime mapped = Files.getLastModifiedTime(dir.resolve("app/cxr-launcher.jsa"));
        // a JVM killed (SIGKILL) while it wrote: its file is dropped
        assertDroppedAfterExit(jar, 137);
        // a JVM that failed (exit 1: it did not start, or ran out of memory): its few classes are not kept
        assertDroppedAfterExit(jar, 1);

        // a rebuild while the JVM runs: the archive it writes records the replaced jar, so it is dropped
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));
        ClassDataArchive.Start fourth = archive.start();
        assertThat(fourth.writes()).as("a jar newer than the archive").isNotNull();
        assertThat(run(fourth, jar)).contains("probe ran");
        assertThat(fourth.writes()).isNotEmptyFile();
        archive.exited(fourth, 143);
        assertThat(fourth.writes()).doesNotExist();
        assertThat(Files.getLastModifiedTime(dir.resolve("app/cxr-launcher.jsa"))).isEqualTo(mapped);
        assertThat(archive.start().writes()).as("still stale: the next start writes it").isNotNull();
    }

    /** A JVM that wrote an archive and then exited with {@code exitValue} leaves none behind. */
    private void assertDroppedAfterExit(Path jar, int exitValue) throws Exception {
        ClassDataArchive other = new ClassDataArchive(dir.resolve("app/other.jsa"), List.of(dir.resolve("app")));
        ClassDataArchive.Start start = other.start();
        assertThat(run(start, jar)).contains("probe ran");
        other.exited(start, exitValue);
        assertThat(start.writes()).doesNotExist();
        assertThat(dir.resolve("app/other.jsa")).doesNotExist();
    }

    private static String run(ClassDataArchive.Start start, Path jar, String... more) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(start.options());
        cmd.addAll(List.of(more));
        cmd.addAll(List.of("-cp", jar.toString(), Probe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** A jar holding only {@link Probe} (class-data sharing archives classes from jars, not directories). */
    private static Path probeJar(Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        String entry = Probe.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, mf);
                InputStream in = Probe.class.getClassLoader().getResourceAsStream(entry)) {
            j.putNextEntry(new JarEntry(entry));
            in.transferTo(j);
            j.closeEntry();
        }
        return jar;
    }
}
