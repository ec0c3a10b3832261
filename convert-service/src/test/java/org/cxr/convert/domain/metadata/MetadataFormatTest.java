package org.cxr.convert.domain.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetadataFormatTest {
    @Test
    void metadataFormats() {
        assertThat(MetadataFormat.studyDate("21800506")).isEqualTo("21800506");
        assertThat(MetadataFormat.studyDate("2180.05.06")).isEqualTo("21800506");
        assertThat(MetadataFormat.studyDate("")).isEqualTo("");
        assertThat(MetadataFormat.studyDate(null)).isEqualTo("");
        assertThat(MetadataFormat.studyDate("unknown")).isEqualTo("");
        assertThat(MetadataFormat.studyTime("080556")).isEqualTo("80556.0");
        assertThat(MetadataFormat.studyTime("080556.875")).isEqualTo("80556.875");
        assertThat(MetadataFormat.studyTime("213014.531")).isEqualTo("213014.531");
        assertThat(MetadataFormat.studyTime("213014.531000")).isEqualTo("213014.531");
        assertThat(MetadataFormat.studyTime("000000")).isEqualTo("0.0");
        assertThat(MetadataFormat.studyTime("0805")).isEqualTo("805.0");
        assertThat(MetadataFormat.studyTime("08:05:56")).isEqualTo("80556.0");
        assertThat(MetadataFormat.studyTime("123456.1")).isEqualTo("123456.1");
        assertThat(MetadataFormat.studyTime("235959.999999")).isEqualTo("235959.999999");
        assertThat(MetadataFormat.studyTime("12a")).isEqualTo("");
        assertThat(MetadataFormat.studyTime(null)).isEqualTo("");
    }
}
