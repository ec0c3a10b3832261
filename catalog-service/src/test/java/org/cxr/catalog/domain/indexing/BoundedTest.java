package org.cxr.catalog.domain.indexing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoundedTest {
    @Test
    void aShortIdIsKept() {
        assertThat(Bounded.id("instance-received:abc", 400)).isEqualTo("instance-received:abc");
        assertThat(Bounded.id(null, 400)).isNull();
    }

    @Test
    void aLongIdIsCutDeterministicallyAndStaysDistinct() {
        String a = "x".repeat(1000) + "a";
        String b = "x".repeat(1000) + "b";
        assertThat(Bounded.id(a, 380)).hasSize(380).isEqualTo(Bounded.id(a, 380)).isNotEqualTo(Bounded.id(b, 380))
                .startsWith("xxxx").contains("#");
    }

    @Test
    void aCutNeverSplitsACharacter() {
        String s = "a".repeat(8) + "\uD83D\uDE00".repeat(10); // emoji: two chars each
        String t = Bounded.text(s, 10);
        assertThat(t.length()).isLessThanOrEqualTo(10);
        assertThat(Character.isHighSurrogate(t.charAt(t.length() - 2))).isFalse();
        assertThat(t).endsWith("\u2026");
        assertThat(Bounded.text("short", 10)).isEqualTo("short");
    }
}
