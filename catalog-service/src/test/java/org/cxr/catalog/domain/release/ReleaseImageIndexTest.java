package org.cxr.catalog.domain.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.cxr.catalog.domain.release.ReleaseImageIndex;
import org.junit.jupiter.api.Test;

class ReleaseImageIndexTest {
    private static String dicomId(Random r) {
        byte[] b = new byte[20];
        r.nextBytes(b);
        String hex = HexFormat.of().formatHex(b);
        return String.join("-", hex.substring(0, 8), hex.substring(8, 16), hex.substring(16, 24), hex.substring(24, 32),
                hex.substring(32, 40));
    }

    private static String path(String dicomId) {
        return "files/p10/p10000032/s50414267/" + dicomId + ".jpg";
    }

    @Test
    void knowsExactlyTheListedImages() throws Exception {
        Random r = new Random(7);
        List<String> listed = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            listed.add(dicomId(r));
            other.add(dicomId(r));
        }
        // ids that differ from a listed one only in the last 4 bytes or only in the first 8
        String first = listed.get(0);
        other.add(first.substring(0, 36) + (first.charAt(36) == '0' ? '1' : '0') + first.substring(37));
        other.add((first.charAt(0) == '0' ? '1' : '0') + first.substring(1));
        StringBuilder file = new StringBuilder();
        listed.forEach(d -> file.append(path(d)).append('\n'));
        file.append("not a path\n\n");
        ReleaseImageIndex index = ReleaseImageIndex.read(new BufferedReader(new StringReader(file.toString())));

        assertThat(index.size()).isEqualTo(listed.size());
        assertThat(listed).allMatch(index::contains);
        assertThat(other).noneMatch(index::contains);
        assertThat(index.contains("nope")).isFalse();
        assertThat(index.contains(null)).isFalse();
        // ids whose bytes are above 0x7f sort as unsigned: the extremes are found
        String max = "ffffffff-ffffffff-ffffffff-ffffffff-ffffffff";
        String min = "00000000-00000000-00000000-00000000-00000000";
        ReleaseImageIndex edges = ReleaseImageIndex.read(new BufferedReader(new StringReader(
                path(max) + "\n" + path(first) + "\n" + path(min) + "\n")));
        assertThat(edges.contains(max)).isTrue();
        assertThat(edges.contains(min)).isTrue();
        assertThat(edges.contains(first)).isTrue();
        assertThat(edges.contains(listed.get(1))).isFalse();
    }

    @Test
    void emptyListing() throws Exception {
        ReleaseImageIndex index = ReleaseImageIndex.read(new BufferedReader(new StringReader("")));
        assertThat(index.size()).isZero();
        assertThat(index.contains("00000000-00000000-00000000-00000000-00000000")).isFalse();
    }
}
