package org.cxr.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md's "Code map" stays true: it lists every Java package of the repository
 * under its module and no package that is not there, and the packages it calls domain or core obey
 * the hexagon rule (no framework, no adapter of ours). Read from the source text, so a package added
 * without a line in the map, or a framework import in a domain class, fails here.
 */
class CodeMapTest {
    /** What a domain or core class must not touch: Quarkus, CDI, JAX-RS, JPA/Hibernate, Kafka, MinIO. */
    private static final List<String> FRAMEWORKS = List.of("io.quarkus", "io.smallrye", "jakarta.enterprise",
            "jakarta.inject", "jakarta.ws", "jakarta.persistence", "org.hibernate", "org.apache.kafka", "io.minio");
    private static final Pattern FRAMEWORK_USE = Pattern.compile("(?<![\\w.])("
            + String.join("|", FRAMEWORKS.stream().map(Pattern::quote).toList()) + ")\\.");
    private static final Set<String> KINDS = Set.of("domain", "core", "adapter", "tool", "test");
    private static final Set<String> FRAMEWORK_FREE = Set.of("domain", "core");
    private static final Pattern SERVICE_DOMAIN =
            Pattern.compile("org\\.cxr\\.(ingest|convert|label|catalog)\\.domain(\\.[\\w.]+)?");

    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern HEADING = Pattern.compile("^### `([^`]+)`");
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`(org\\.cxr[\\w.]*)`\\s*\\|\\s*(\\w+)\\s*\\|.*\\S.*\\|\\s*$");
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern CXR_REFERENCE = Pattern.compile("(?<![\\w.])org\\.cxr((?:\\.[a-z_][\\w]*)*)");

    /** A type name in backticks: `Converter`, `StudyStateRule`. */
    private static final Pattern TYPE_NAME = Pattern.compile("`([A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*)`");

    /** One line of the map. */
    record Entry(String module, String pkg, String kind, String line) {
    }

    private static final List<Entry> MAP = readMap();

    @Test
    void everyModuleOfTheBuildHasItsTable() {
        assertThat(MAP.stream().map(Entry::module).distinct())
                .as("modules with a table in the code map vs <modules> of the root pom.xml")
                .containsExactlyInAnyOrderElementsOf(modules());
    }

    @Test
    void everyLineNamesOnePackageOnceWithAKnownKind() {
        Set<String> seen = new TreeSet<>();
        List<String> repeated = new ArrayList<>();
        for (Entry e : MAP) {
            if (!seen.add(e.module() + " " + e.pkg())) {
                repeated.add(e.pkg());
            }
        }
        assertThat(repeated).as("packages listed twice under one module").isEmpty();
        assertThat(MAP.stream().filter(e -> !KINDS.contains(e.kind())).map(e -> e.pkg() + ": " + e.kind()))
                .as("rows whose kind is not one of %s", KINDS).isEmpty();
    }

    @Test
    void everyPackageHasALine() throws IOException {
        Map<String, Set<String>> notMapped = new TreeMap<>();
        for (String module : modules()) {
            Set<String> missing = new TreeSet<>(packages(module).keySet());
            missing.removeAll(mapped(module));
            if (!missing.isEmpty()) {
                notMapped.put(module, missing);
            }
        }
        assertThat(notMapped).as("packages (main code; test code of test-only modules) with no line in"
                + " docs/architecture.md's code map").isEmpty();
    }

    @Test
    void everyLineNamesAPackageOfItsModule() throws IOException {
        Map<String, Set<String>> notThere = new TreeMap<>();
        for (String module : modules()) {
            Set<String> unknown = mapped(module);
            unknown.removeAll(packages(module).keySet());
            if (!unknown.isEmpty()) {
                notThere.put(module, unknown);
            }
        }
        assertThat(notThere).as("packages the code map names that the module does not have").isEmpty();
    }

    /** A class renamed or removed leaves no stale name behind. */
    @Test
    void everyClassTheMapNamesExists() throws IOException {
        Set<String> classes = new TreeSet<>();
        for (String module : modules()) {
            packages(module).values().forEach(files -> files.forEach(
                    f -> classes.add(f.getFileName().toString().replaceFirst("\\.java$", ""))));
        }
        Map<String, Set<String>> unknown = new TreeMap<>();
        for (Entry e : MAP) {
            Matcher m = TYPE_NAME.matcher(e.line());
            while (m.find()) {
                if (!classes.contains(m.group(1))) {
                    unknown.computeIfAbsent(e.pkg(), k -> new TreeSet<>()).add(m.group(1));
                }
            }
        }
        assertThat(unknown).as("class names in the code map that no source file of the mapped code has").isEmpty();
    }

    /** "domain" means a service's domain core, so the rule below covers all of them. */
    @Test
    void theDomainKindIsExactlyTheServicesDomainPackages() {
        assertThat(MAP.stream()
                .filter(e -> e.kind().equals("domain") != SERVICE_DOMAIN.matcher(e.pkg()).matches())
                .map(e -> e.pkg() + ": " + e.kind()))
                .as("rows that are domain but not org.cxr.<service>.domain*, or the other way round").isEmpty();
    }

    /**
     * The hexagon rule: a service's domain packages (and the framework-free libraries) reach no
     * framework, neither by import nor by a fully qualified name, and use no package of ours that is
     * not itself domain or core (an adapter of their service, libs/platform).
     */
    @Test
    void domainAndCorePackagesUseNoFrameworkAndNoAdapter() throws IOException {
        Set<String> frameworkFree = new TreeSet<>();
        MAP.stream().filter(e -> FRAMEWORK_FREE.contains(e.kind())).forEach(e -> frameworkFree.add(e.pkg()));
        List<String> violations = new ArrayList<>();
        int checked = 0;
        for (String module : modules()) {
            for (Map.Entry<String, List<Path>> pkg : packages(module).entrySet()) {
                if (!frameworkFree.contains(pkg.getKey()) && !SERVICE_DOMAIN.matcher(pkg.getKey()).matches()) {
                    continue;
                }
                for (Path file : pkg.getValue()) {
                    checked++;
                    String code = JavaText.code(Files.readString(file));
                    Matcher framework = FRAMEWORK_USE.matcher(code);
                    while (framework.find()) {
                        violations.add(Repo.ROOT.relativize(file) + " uses " + framework.group(1));
                    }
                    Matcher m = CXR_REFERENCE.matcher(code);
                    while (m.find()) {
                        String used = "org.cxr" + m.group(1);
                        if (!used.equals(pkg.getKey()) && !frameworkFree.contains(used)) {
                            violations.add(Repo.ROOT.relativize(file) + " uses " + used);
                        }
                    }
                }
            }
        }
        assertThat(checked).as("domain and core source files found").isGreaterThan(100);
        assertThat(violations).as("framework or adapter use in domain/core packages").isEmpty();
    }

    /** The Java rows of the "## Code map" section, each under the "### `module`" heading above it. */
    private static List<Entry> readMap() {
        String doc = Repo.read("docs/architecture.md");
        int start = doc.indexOf("\n## Code map\n");
        assertThat(start).as("docs/architecture.md has a \"## Code map\" section").isNotNegative();
        int end = doc.indexOf("\n## ", start + 1);
        String section = end < 0 ? doc.substring(start) : doc.substring(start, end);
        List<Entry> entries = new ArrayList<>();
        String module = null;
        for (String line : section.split("\n")) {
            Matcher heading = HEADING.matcher(line);
            if (heading.find()) {
                module = heading.group(1);
                continue;
            }
            if (!line.startsWith("| `org.cxr")) {
                continue;
            }
            Matcher row = ROW.matcher(line);
            assertThat(row.matches()).as("a code map row is | `package` | kind | what lives there |: %s", line).isTrue();
            assertThat(module).as("a module heading above %s", line).isNotNull();
            entries.add(new Entry(module, row.group(1), row.group(2), line));
        }
        assertThat(entries).as("rows of the code map").isNotEmpty();
        return List.copyOf(entries);
    }

    private static Set<String> mapped(String module) {
        Set<String> packages = new TreeSet<>();
        MAP.stream().filter(e -> e.module().equals(module)).forEach(e -> packages.add(e.pkg()));
        return packages;
    }

    private static List<String> modules() {
        List<String> modules = new ArrayList<>();
        Matcher m = MODULE.matcher(Repo.read("pom.xml"));
        while (m.find()) {
            modules.add(m.group(1).strip());
        }
        return modules;
    }

    /** Where a module's packages are mapped from: its main code, or its tests when it has no main code. */
    private static Path sourceRoot(String module) {
        Path main = Repo.path(module + "/src/main/java");
        return Files.isDirectory(main) ? main : Repo.path(module + "/src/test/java");
    }

    /** The packages of a module's source root (as the files declare them) and their files. */
    private static Map<String, List<Path>> packages(String module) throws IOException {
        Path root = sourceRoot(module);
        Map<String, List<Path>> packages = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return packages;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                Matcher m = PACKAGE.matcher(JavaText.code(Files.readString(file)));
                String pkg = m.find() ? m.group(1) : "(default package) " + Repo.ROOT.relativize(file);
                packages.computeIfAbsent(pkg, k -> new ArrayList<>()).add(file);
            }
        }
        return packages;
    }

    /** Java source with comments and string, text-block and character literals blanked out. */
    static final class JavaText {
        private JavaText() {
        }

        static String code(String source) {
            StringBuilder out = new StringBuilder(source.length());
            int i = 0;
            int n = source.length();
            while (i < n) {
                char c = source.charAt(i);
                if (source.startsWith("//", i)) {
                    i = skipTo(source, i, "\n");
                } else if (source.startsWith("/*", i)) {
                    i = skipTo(source, i + 2, "*/");
                } else if (source.startsWith("\"\"\"", i)) {
                    i = skipLiteral(source, i + 3, "\"\"\"");
                } else if (c == '"' || c == '\'') {
                    i = skipLiteral(source, i + 1, String.valueOf(c));
                } else {
                    out.append(c);
                    i++;
                    continue;
                }
                out.append(' ');
            }
            return out.toString();
        }

        /** The index after {@code end} (or the end of the text). */
        private static int skipTo(String s, int from, String end) {
            int at = s.indexOf(end, from);
            return at < 0 ? s.length() : at + end.length();
        }

        /** Past the literal's closing delimiter, skipping backslash escapes. */
        private static int skipLiteral(String s, int from, String close) {
            int i = from;
            while (i < s.length()) {
                if (s.charAt(i) == '\\') {
                    i += 2;
                } else if (s.startsWith(close, i)) {
                    return i + close.length();
                } else {
                    i++;
                }
            }
            return s.length();
        }
    }
}
