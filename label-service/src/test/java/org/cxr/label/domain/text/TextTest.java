package org.cxr.label.domain.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class TextTest {
    @Test
    void normalisesCaseSlashesAndWhitespace() {
        assertThat(Normaliser.normalise("Atelectasis/Scarring  AND/OR\n\tPneumonia")).isEqualTo("atelectasis or scarring or pneumonia");
        assertThat(Normaliser.normalise("effusion and/or atelectasis")).isEqualTo("effusion or atelectasis");
        assertThat(Normaliser.normalise("  1/2 of the lung ")).isEqualTo("1/2 of the lung");
        assertThat(Normaliser.normalise("sandy/orange")).isEqualTo("sandy or orange");
    }

    private static List<List<String>> sentences(String text) {
        String norm = Normaliser.normalise(text);
        List<List<String>> out = new ArrayList<>();
        List<String> current = new ArrayList<>();
        new Tokenizer(List.of("vs")).scan(norm, false, new Tokenizer.Sink() {
            @Override
            public void token(int start, int end, TokenType type) {
                current.add(norm.substring(start, end));
            }

            @Override
            public void sentenceEnd() {
                out.add(new ArrayList<>(current));
                current.clear();
            }
        });
        return out;
    }

    @Test
    void splitsSentencesButNotDecimalsOrAbbreviations() {
        assertThat(sentences("A 1.5 cm nodule. No effusion! Atelectasis vs. pneumonia."))
                .containsExactly(List.of("a", "1.5", "cm", "nodule"), List.of("no", "effusion"),
                        List.of("atelectasis", "vs", "pneumonia"));
        assertThat(sentences("1. Effusion. 2. Edema, e.g. mild")).containsExactly(List.of("1"), List.of("effusion"), List.of("2"),
                List.of("edema", ",", "e", "g", "mild"));
        // a list number glued to the next word still ends the item before it
        assertThat(sentences("1.No pneumothorax 2.Small effusion")).containsExactly(List.of("1"), List.of("no", "pneumothorax", "2"),
                List.of("small", "effusion"));
        // "1)" numbers a list item too, "(2)" in parentheses does not
        assertThat(sentences("1) No pneumothorax 2) Small effusion (2) views")).containsExactly(List.of("1", ")"),
                List.of("no", "pneumothorax", "2", ")"), List.of("small", "effusion", "(", "2", ")", "views"));
    }

    @Test
    void hyphensJoinNothingAndQuestionMarksAreTokens() {
        assertThat(sentences("Air-space disease? ?Pneumonia")).containsExactly(List.of("air", "space", "disease", "?"),
                List.of("?", "pneumonia"));
    }

    @Test
    void phraseTokensKeepStems() {
        assertThat(new Tokenizer(List.of()).phraseTokens("Atelecta* and/or air-space")).containsExactly("atelecta*", "or", "air", "space");
    }
}
