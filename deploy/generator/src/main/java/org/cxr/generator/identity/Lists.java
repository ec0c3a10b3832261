package org.cxr.generator.identity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a UTF-8 resource of named lists: "[name]" starts a list, one entry per line, "#" comments. */
public final class Lists {
    private Lists() {
    }

    public static Map<String, List<String>> load(Class<?> owner, String resource) {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> current = null;
            for (String line; (line = reader.readLine()) != null; ) {
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#")) {
                    continue;
                }
                if (s.startsWith("[") && s.endsWith("]")) {
                    current = lists.computeIfAbsent(s.substring(1, s.length() - 1), k -> new ArrayList<>());
                } else if (current == null) {
                    throw new IllegalStateException(resource + ": entry before any [section]: " + s);
                } else {
                    current.add(s);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lists;
    }
}
