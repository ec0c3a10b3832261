package org.cxr.dimse;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.cxr.dicom.Dataset;
import org.cxr.dicom.DicomWriter;
import org.cxr.dicom.Tag;
import org.cxr.dicom.VR;

/**
 * A C-STORE data set on its way in: written fragment by fragment to a temporary Part 10 file (the
 * file meta group first, built from the command and the presentation context), so memory does not
 * grow with the instance. Over the size limit, or when the disk fails, the file is dropped and
 * the rest of the data set is read and discarded; {@link #failure()} says what to answer.
 */
final class DataSetFile implements AutoCloseable {
    private final Path file;
    private final long maxBytes;
    private OutputStream out;
    private long received;
    private DimseStatus failure;

    private DataSetFile(Path file, long maxBytes, DimseStatus failure) {
        this.file = file;
        this.maxBytes = maxBytes;
        this.failure = failure;
    }

    /** A sink that reads the data set away and answers {@code status}. */
    static DataSetFile discarding(DimseStatus status) {
        return new DataSetFile(null, 0, status);
    }

    static DataSetFile create(Path dir, String sopClass, String sopInstance, String transferSyntax, String sourceAe,
                              long maxBytes) {
        Path f = null;
        try {
            Files.createDirectories(dir);
            f = Files.createTempFile(dir, "dimse-", ".dcm");
            DataSetFile d = new DataSetFile(f, maxBytes, null);
            d.out = new BufferedOutputStream(Files.newOutputStream(f), 64 * 1024);
            Dataset meta = new Dataset();
            meta.putString(Tag.MediaStorageSOPClassUID, VR.UI, sopClass);
            meta.putString(Tag.MediaStorageSOPInstanceUID, VR.UI, sopInstance);
            meta.putString(Tag.SourceApplicationEntityTitle, VR.AE, sourceAe);
            DicomWriter.writeFileHeader(d.out, meta, transferSyntax);
            return d;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(f);
            return discarding(DimseStatus.outOfResources("cannot buffer the data set"));
        }
    }

    void write(byte[] b, int off, int len) {
        received += len;
        if (failure != null) {
            return;
        }
        if (received > maxBytes) {
            fail(DimseStatus.tooLarge("data set over " + maxBytes + " bytes"));
            return;
        }
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            fail(DimseStatus.outOfResources("cannot buffer the data set"));
        }
    }

    /** Ends the data set; null when the file is complete, else the status to answer. */
    DimseStatus finish() {
        if (failure == null) {
            try {
                out.close();
            } catch (IOException e) {
                fail(DimseStatus.outOfResources("cannot buffer the data set"));
            }
        }
        return failure;
    }

    DimseStatus failure() {
        return failure;
    }

    Path path() {
        return file;
    }

    long received() {
        return received;
    }

    private void fail(DimseStatus status) {
        failure = status;
        close();
    }

    /** Drops the file (after the handler, or when the association ends mid-transfer). */
    @Override
    public void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // the file is deleted anyway
            }
            out = null;
        }
        deleteQuietly(file);
    }

    private static void deleteQuietly(Path f) {
        if (f != null) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // a temporary file in the work directory; nothing else refers to it
            }
        }
    }
}
