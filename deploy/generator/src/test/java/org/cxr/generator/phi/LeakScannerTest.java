package org.cxr.generator.phi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class LeakScannerTest {
    private static PlantedIdentifiers.Needle needle(PhiKind kind, String value) {
        return new PlantedIdentifiers.Needle(kind, value, "test", "as_written");
    }

    private static final LeakScanner SCANNER = new LeakScanner(List.of(needle(PhiKind.NAME, "O'Donoghue"),
            needle(PhiKind.NAME, "Whitfield"), needle(PhiKind.MRN, "4829103"), needle(PhiKind.NAME, "Donoghue")));

    private static List<String> found(String text) {
        return SCANNER.scan(text.getBytes(StandardCharsets.ISO_8859_1), "t").stream().map(h -> h.needle().value()).toList();
    }

    @Test
    void findsNeedlesInAnyCaseAtWordAndNumberBorders() {
        assertThat(found("DISCUSSED WITH DR. O'DONOGHUE AT 3 PM")).containsExactlyInAnyOrder("O'Donoghue", "Donoghue");
        assertThat(found("{\"n\":\"whitfield^mary\",\"mrn\":\"4829103\"}")).containsExactlyInAnyOrder("Whitfield", "4829103");
        assertThat(found("Whitfields 14829103 48291030 Whitfield")).containsExactly("Whitfield");
        assertThat(found("nothing to see")).isEmpty();
    }

    @Test
    void findsANeedleAcrossTheBorderOfTwoChunksAndReportsItsOffset() throws Exception {
        byte[] big = new byte[3 * (1 << 20)];
        Arrays.fill(big, (byte) 'x');
        byte[] name = " Whitfield ".getBytes(StandardCharsets.US_ASCII);
        int at = (1 << 20) - 4; // straddles the first chunk's end
        System.arraycopy(name, 0, big, at, name.length);
        System.arraycopy(name, 0, big, big.length - name.length, name.length);
        List<LeakScanner.Hit> hits = SCANNER.scan(new ByteArrayInputStream(big), "big");
        assertThat(hits).extracting(LeakScanner.Hit::offset).containsExactly((long) at + 1, (long) big.length - name.length + 1);
        assertThat(hits.get(0).context()).contains("Whitfield");
    }
}
