package org.cxr.convert.natives;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.opencv.global.opencv_core;
import org.cxr.convert.domain.Converter;
import org.junit.jupiter.api.Test;

/** The bundled native libraries are the ones the converter's version and the docs name. */
class NativeLibrariesTest {
    @Test
    void bundledOpenJpegIsVersion25() throws Exception {
        assertThat(OpenJpeg.version()).startsWith("2.5.");
    }

    @Test
    void converterVersionNamesTheLoadedOpenCv() {
        // the JPG bytes are OpenCV's: a different encoder must change the version (the service re-converts)
        assertThat(Converter.VERSION).startsWith("cxr-convert/").contains("opencv " + opencv_core.CV_VERSION + ")");
    }
}
