package org.cxr.deploy.validation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** The Kustomize sources under deploy/k8s and the rendered overlays in deploy/k8s/rendered. */
final class Manifests {
    static final List<String> OVERLAYS = List.of("local", "production");

    /** What the overlays read; the same list as INPUTS in deploy/k8s/scripts/render-manifests.sh. */
    static final List<String> INPUTS = List.of("deploy/k8s/base", "deploy/k8s/overlays", "deploy/monitoring",
            "deploy/compose/postgres", "deploy/compose/kafka", "deploy/compose/minio", "deploy/keycloak");

    private static final Pattern DIGEST_LINE = Pattern.compile("^# source-digest: ([0-9a-f]{64})$", Pattern.MULTILINE);

    private Manifests() {
    }

    static String renderedPath(String overlay) {
        return "deploy/k8s/rendered/" + overlay + ".yaml";
    }

    static List<HasMetadata> rendered(String overlay) {
        return StrictKubernetes.parse(Repo.read(renderedPath(overlay)), renderedPath(overlay));
    }

    static Optional<String> recordedDigest(String overlay) {
        Matcher m = DIGEST_LINE.matcher(Repo.read(renderedPath(overlay)));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** `find INPUTS -type f | LC_ALL=C sort | xargs sha256sum | sha256sum`, computed in Java. */
    static String sourceDigest() {
        List<String> files = new ArrayList<>();
        for (String input : INPUTS) {
            try (Stream<Path> walk = Files.walk(Repo.path(input))) {
                walk.filter(Files::isRegularFile)
                        .forEach(p -> files.add(Repo.ROOT.relativize(p).toString().replace('\\', '/')));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        // LC_ALL=C sort is byte order; the paths are ASCII, where String order is the same.
        files.sort(null);
        StringBuilder listing = new StringBuilder();
        for (String f : files) {
            try {
                listing.append(sha256(Files.readAllBytes(Repo.path(f)))).append("  ").append(f).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sha256(listing.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Every Kubernetes resource file of the sources: all YAML but the kustomization files. */
    static List<String> sourceResourceFiles() {
        try (Stream<Path> walk = Stream.concat(Files.walk(Repo.path("deploy/k8s/base")),
                Files.walk(Repo.path("deploy/k8s/overlays")))) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
                    .map(p -> Repo.ROOT.relativize(p).toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every kustomization.yaml the overlays use. */
    static List<String> kustomizations() {
        List<String> all = new ArrayList<>();
        for (String input : INPUTS) {
            try (Stream<Path> walk = Files.walk(Repo.path(input))) {
                walk.filter(p -> p.getFileName().toString().equals("kustomization.yaml"))
                        .forEach(p -> all.add(Repo.ROOT.relativize(p).toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all.stream().sorted().toList();
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
