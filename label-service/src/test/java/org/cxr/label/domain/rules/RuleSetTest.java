package org.cxr.label.domain.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.cxr.label.domain.match.Lexicon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleSetTest {
    @TempDir
    Path dir;

    private void write(String mentions, String triggers) throws IOException {
        Files.writeString(dir.resolve("mentions.txt"), mentions);
        Files.writeString(dir.resolve("triggers.txt"), triggers);
        Files.writeString(dir.resolve("sections.txt"), "[impression]\nis: impression\n");
        Files.writeString(dir.resolve("abbreviations.txt"), "vs\n");
    }

    @Test
    void aRuleEditChangesTheVersion() throws IOException {
        write("[Pneumonia]\nfinding: pneumonia\n", "[negation]\npre 5: no\n");
        String v1 = RuleSet.fromDirectory(dir).version();
        write("[Pneumonia]\nfinding: pneumonia | pneumonitis\n", "[negation]\npre 5: no\n");
        String v2 = RuleSet.fromDirectory(dir).version();
        assertThat(v1).isNotEqualTo(v2);
        write("[Pneumonia]\nfinding: pneumonia\n", "[negation]\npre 5: no\n");
        assertThat(RuleSet.fromDirectory(dir).version()).isEqualTo(v1);
    }

    @Test
    void parsesWindowsStylesAndObservationLimits() throws IOException {
        write("[Cardiomegaly]\ndescriptor: heart size\n",
                "[abnormal]\nboth 5/2 style=negbio for Cardiomegaly, Edema: enlarged | not well-seen # comment\n[terminate]\nany: but\n");
        RuleSet r = RuleSet.fromDirectory(dir);
        TriggerRule t = r.triggers().get(1);
        assertThat(t.tokens()).containsExactly("not", "well", "seen");
        assertThat(t.windowBack()).isEqualTo(5);
        assertThat(t.windowFwd()).isEqualTo(2);
        assertThat(t.styles()).isEqualTo(0b10);
        assertThat(t.appliesTo()).isEqualTo((1L << 1) | (1L << 3));
        assertThat(r.triggers().get(2).direction()).isEqualTo(Direction.NONE);
    }

    @Test
    void parsesMentionKindsReachAndAlternatives() throws IOException {
        write("[Edema]\nuncertain: vascular congestion\nsign: vasculature\n[Support Devices]\nfinding: tube\n"
                + "reach: negation 3, uncertain 0/2\n[Alternative]\nfinding: skin fold\n", "[negation]\npre 5: no\n");
        RuleSet r = RuleSet.fromDirectory(dir);
        assertThat(r.mentions()).extracting(MentionRule::kind).containsExactly(MentionKind.UNCERTAIN, MentionKind.SIGN,
                MentionKind.FINDING, MentionKind.FINDING);
        assertThat(r.mentions().get(3).target()).isEqualTo(MentionRule.ALTERNATIVE);
        int devices = org.cxr.events.Observation.SUPPORT_DEVICES.ordinal();
        assertThat(r.reach(devices, TriggerCategory.Family.NEGATION, false)).isEqualTo(3);
        assertThat(r.reach(devices, TriggerCategory.Family.NEGATION, true)).isEqualTo(3);
        assertThat(r.reach(devices, TriggerCategory.Family.UNCERTAINTY, false)).isZero();
        assertThat(r.reach(devices, TriggerCategory.Family.UNCERTAINTY, true)).isEqualTo(2);
        assertThat(r.reach(org.cxr.events.Observation.EDEMA.ordinal(), TriggerCategory.Family.NEGATION, true))
                .isEqualTo(Integer.MAX_VALUE);
        write("[Edema]\nreach: negation x\n", "[negation]\npre 5: no\n");
        assertThatThrownBy(() -> RuleSet.fromDirectory(dir)).hasMessageContaining("mentions.txt:2").hasMessageContaining("reach");
    }

    @Test
    void mistakesAreReportedWithFileAndLine() throws IOException {
        write("[Pneumonia]\nfinding: pneumonia\n[Heart Stuff]\nfinding: x\n", "[negation]\npre 5: no\n");
        assertThatThrownBy(() -> RuleSet.fromDirectory(dir)).hasMessageContaining("mentions.txt:3").hasMessageContaining("Heart Stuff");
        write("[Pneumonia]\nfinding: pneumonia\n", "[negation]\npre: no\n");
        assertThatThrownBy(() -> RuleSet.fromDirectory(dir)).hasMessageContaining("triggers.txt:2");
        write("[Pneumonia]\nfinding: pneumonia\n", "[negation]\npre 5 for Lungs: no\n");
        assertThatThrownBy(() -> RuleSet.fromDirectory(dir)).hasMessageContaining("unknown observation 'Lungs'");
        write("[Pneumonia]\nfinding: pn*\n", "[negation]\npre 5: no\n");
        assertThatThrownBy(() -> RuleSet.fromDirectory(dir)).hasMessageContaining("stem");
    }

    @Test
    void theSamePhraseTwiceIsAmbiguous() throws IOException {
        write("[Pneumonia]\nfinding: pneumonia\n", "[negation]\npre 5: no\n[uncertain]\npre 5: No\n");
        assertThatThrownBy(() -> Lexicon.compile(RuleSet.fromDirectory(dir))).hasMessageContaining("the same trigger phrase twice");
        // one phrase per style is fine
        write("[Pneumonia]\nfinding: pneumonia\n", "[negation]\npre 5 style=negbio: no new\n[uncertain]\npre 5 style=chexpert: no new\n");
        assertThat(Lexicon.compile(RuleSet.fromDirectory(dir)).vocabularySize()).isEqualTo(3);
    }

    @Test
    void theBundledRulesLoad() {
        RuleSet r = RuleSet.bundled();
        assertThat(r.mentions()).hasSizeGreaterThan(300);
        assertThat(r.triggers()).hasSizeGreaterThan(300);
        assertThat(Lexicon.compile(r).vocabularySize()).isGreaterThan(300);
    }
}
