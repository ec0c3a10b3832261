package org.cxr.ingest.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class MultipartRelatedTest {
    @Test
    void splitsPartsWithBinaryBodies() throws Exception {
        byte[] a = {0, 1, 2, '\r', '\n', '-', '-', 3};
        byte[] b = new byte[1000];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write("preamble\r\n--XyZ\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.write(a);
        out.write("\r\n--XyZ\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.write(b);
        out.write("\r\n--XyZ--\r\n".getBytes(StandardCharsets.ISO_8859_1));
        List<MultipartRelated.Part> parts = MultipartRelated.parse(out.toByteArray(), "XyZ");
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).contentType()).isEqualTo("application/dicom");
        assertThat(parts.get(0).body()).isEqualTo(a);
        assertThat(parts.get(1).contentType()).isNull();
        assertThat(parts.get(1).body()).isEqualTo(b);
    }

    @Test
    void readsParameters() {
        String ct = "multipart/related; type=\"application/dicom\"; boundary=\"a b\"";
        assertThat(MultipartRelated.boundary(ct)).isEqualTo("a b");
        assertThat(MultipartRelated.parameter(ct, "type")).isEqualTo("application/dicom");
        assertThatThrownBy(() -> MultipartRelated.parse("nothing".getBytes(), "q")).isInstanceOf(IllegalArgumentException.class);
    }
}
