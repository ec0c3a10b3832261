package org.cxr.ingest.domain.deid;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;

import org.cxr.ingest.domain.intake.IntakeRejected;
import org.cxr.ingest.domain.intake.RejectReason;

/** Decodes received report bytes strictly: a byte sequence invalid in the charset is an error, never a U+FFFD. */
public final class ReportText {
    private ReportText() {
    }

    /**
     * @param charsetName the declared charset (e.g. from {@code Content-Type}); null means UTF-8
     * @return the text with a leading BOM removed and CRLF/CR line ends turned into LF
     */
    public static String decode(byte[] bytes, String charsetName, long maxBytes) throws IntakeRejected {
        if (bytes.length > maxBytes) {
            throw new IntakeRejected(RejectReason.TOO_LARGE, "report of " + bytes.length + " bytes is over the limit of "
                    + maxBytes + " bytes");
        }
        Charset cs;
        try {
            cs = charsetName == null || charsetName.isBlank() ? StandardCharsets.UTF_8 : Charset.forName(charsetName.trim());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new IntakeRejected(RejectReason.UNDECODABLE_REPORT, "unknown charset " + charsetName);
        }
        String text;
        try {
            text = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IntakeRejected(RejectReason.UNDECODABLE_REPORT, "report bytes are not valid " + cs.name()
                    + " (" + e.getClass().getSimpleName() + ")");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.indexOf('\u0000') >= 0) {
            throw new IntakeRejected(RejectReason.UNDECODABLE_REPORT, "report contains NUL characters (binary data?)");
        }
        text = text.replace("\r\n", "\n").replace('\r', '\n');
        if (text.isBlank()) {
            throw new IntakeRejected(RejectReason.EMPTY_REPORT, "report has no text");
        }
        return text;
    }
}
