package org.cxr.dicom;

import java.util.List;

/**
 * A DICOM file as read: optional preamble, file meta group (empty when the file had none), the
 * dataset, and the transfer syntax it was encoded in.
 *
 * @param preamble             the 128-byte preamble, or null when the file had no preamble/DICM prefix
 * @param fileMeta             group 0002 elements (empty dataset when absent)
 * @param dataset              the dataset
 * @param transferSyntax       the syntax the dataset was read in
 * @param transferSyntaxGuessed true when the file meta had no (valid) Transfer Syntax UID, or
 *                              disagreed with the data, and the syntax was inferred from the bytes
 * @param warnings             leniencies applied while reading (empty for a clean file)
 */
public record DicomFile(byte[] preamble, Dataset fileMeta, Dataset dataset, TransferSyntax transferSyntax,
                        boolean transferSyntaxGuessed, List<String> warnings) {

    /** Pixel Data (7FE0,0010) of the dataset, read on demand; null when absent. */
    public PixelData pixelData() {
        return dataset.pixelData();
    }

    /** The file had a file meta group. */
    public boolean hasFileMeta() {
        return !fileMeta.isEmpty();
    }
}
