package org.cxr.convert.domain.pixels;

import static org.assertj.core.api.Assertions.assertThat;

import org.cxr.convert.natives.NativeConverter;
import org.cxr.dicom.TransferSyntax;
import org.junit.jupiter.api.Test;

class FrameDecodersTest {
    @Test
    void decodesExactlyTheSyntaxesReceiversOffer() {
        // a DIMSE receiver grants TransferSyntax.convertible(): never a syntax the converter refuses
        assertThat(NativeConverter.decoders().supportedTransferSyntaxes())
                .containsExactlyInAnyOrderElementsOf(TransferSyntax.convertible());
    }
}
