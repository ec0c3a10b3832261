package org.cxr.label.domain.match;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The words and word stems used by the phrase lists, as a character trie. Looking a token up
 * walks its characters once and yields every key it matches: the id of the exact word (if the
 * lexicon uses it) and the id of every stem ("atelecta*") that is a prefix of it. Keys share one
 * id space so the phrase trie can follow either.
 */
public final class Vocabulary {
    private final LongIntMap edges = new LongIntMap(4096);
    private final List<Integer> wordKey = new ArrayList<>();
    private final List<Integer> stemKey = new ArrayList<>();
    private final Map<String, Integer> keysByName = new HashMap<>();
    private int[] wordKeys = new int[0];
    private int[] stemKeys = new int[0];
    private int nodes = 1;

    public Vocabulary() {
        wordKey.add(-1);
        stemKey.add(-1);
    }

    /** Key of an exact word, registered on first use. */
    public int wordKey(String word) {
        return register(word, false);
    }

    /** Key of a stem (matches every word starting with it), registered on first use. */
    public int stemKey(String stem) {
        return register(stem, true);
    }

    private int register(String s, boolean stem) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty word");
        }
        String name = (stem ? "stem:" : "word:") + s;
        Integer existing = keysByName.get(name);
        if (existing != null) {
            return existing;
        }
        int node = 0;
        for (int i = 0; i < s.length(); i++) {
            long e = edge(node, s.charAt(i));
            int next = edges.get(e);
            if (next < 0) {
                next = nodes++;
                edges.put(e, next);
                wordKey.add(-1);
                stemKey.add(-1);
            }
            node = next;
        }
        int key = keysByName.size();
        keysByName.put(name, key);
        (stem ? stemKey : wordKey).set(node, key);
        wordKeys = null;
        return key;
    }

    /** Freezes the node tables for lookup. */
    void freeze() {
        wordKeys = wordKey.stream().mapToInt(Integer::intValue).toArray();
        stemKeys = stemKey.stream().mapToInt(Integer::intValue).toArray();
    }

    public int size() {
        return keysByName.size();
    }

    /**
     * Writes the keys matched by text[from, to) into out starting at outPos; returns the new
     * position. out must have room for (to - from + 1) more entries.
     */
    public int lookup(CharSequence text, int from, int to, int[] out, int outPos) {
        int[] wk = wordKeys;
        int[] sk = stemKeys;
        int node = 0;
        for (int i = from; i < to; i++) {
            node = edges.get(edge(node, text.charAt(i)));
            if (node < 0) {
                return outPos;
            }
            if (sk[node] >= 0) {
                out[outPos++] = sk[node];
            }
        }
        if (wk[node] >= 0) {
            out[outPos++] = wk[node];
        }
        return outPos;
    }

    private static long edge(int node, char c) {
        return ((long) node << 16) | c;
    }
}
