package org.cxr.convert.domain.codec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * The reference decoder, pydicom + GDCM as Debian packages them (/usr/bin/python3), run at test
 * time: pixel_array of every frame dumped as little-endian int32. When pydicom cannot read the
 * Pixel Data element (GH1339: sequence cut by the end of the file) it falls back to GDCM's own
 * reader. Tests skip with a message when python3, pydicom, GDCM or numpy are missing.
 */
final class ReferenceDecoder {
    static final String PYTHON = System.getProperty("cxr.python", "/usr/bin/python3");

    private static final String SCRIPT = String.join("\n",
            "import sys, numpy as np",
            "import pydicom",
            "src, dst = sys.argv[1], sys.argv[2]",
            "try:",
            "    a = pydicom.dcmread(src, force=True).pixel_array",
            "except AttributeError:",
            "    import gdcm",
            "    r = gdcm.ImageReader(); r.SetFileName(src)",
            "    if not r.Read(): raise SystemExit('GDCM cannot read ' + src)",
            "    img = r.GetImage(); pf = img.GetPixelFormat()",
            "    dt = {(8,0):'u1',(8,1):'i1',(16,0):'<u2',(16,1):'<i2'}[(pf.GetBitsAllocated(), pf.GetPixelRepresentation())]",
            "    a = np.frombuffer(img.GetBuffer().encode('utf-8', 'surrogateescape'), dtype=dt)",
            "np.ascontiguousarray(a).astype('<i4').tofile(dst)",
            "");

    private static Boolean available;

    private ReferenceDecoder() {
    }

    static synchronized void assumeAvailable() {
        if (available == null) {
            available = run(PYTHON, "-c", "import pydicom, gdcm, numpy") == 0;
        }
        Assumptions.assumeTrue(available, "SKIPPED: the reference decoder needs " + PYTHON
                + " with pydicom, GDCM and numpy (Debian: python3-pydicom python3-gdcm python3-numpy)");
    }

    /** All frames' stored values as pydicom's pixel_array returns them, flattened. */
    static int[] decode(Path dicom) throws IOException {
        assumeAvailable();
        Path out = Files.createTempFile("cxr-ref", ".i32");
        Path script = Files.createTempFile("cxr-ref", ".py");
        try {
            Files.writeString(script, SCRIPT);
            int rc = run(PYTHON, script.toString(), dicom.toString(), out.toString());
            if (rc != 0) {
                throw new IOException("reference decoder failed on " + dicom + " (exit " + rc + ")");
            }
            ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
            int[] v = new int[bb.remaining() / 4];
            bb.asIntBuffer().get(v);
            return v;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(script);
        }
    }

    private static int run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
