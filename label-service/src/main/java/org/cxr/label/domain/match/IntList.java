package org.cxr.label.domain.match;

import java.util.Arrays;

/** A growable int array, reused across sentences to keep matching allocation-light. */
public final class IntList {
    private int[] a;
    private int size;

    public IntList(int capacity) {
        a = new int[Math.max(4, capacity)];
    }

    public void add(int v) {
        if (size == a.length) {
            a = Arrays.copyOf(a, size * 2);
        }
        a[size++] = v;
    }

    public int get(int i) {
        return a[i];
    }

    public int size() {
        return size;
    }

    public void clear() {
        size = 0;
    }
}
