package org.cxr.convert.domain.codec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * The reference decoder, pydicom + GDCM as Debian packages them (/usr/bin/python3), run at test
 * time in one long-lived interpreter (the imports cost more than most decodes): per request line
 * (DICOM path, output path) pixel_array of every frame is dumped as little-endian int32 and "ok"
 * answered. When pydicom cannot read the Pixel Data element (GH1339: sequence cut by the end of the
 * file) it falls back to GDCM's own reader. Tests skip with a message when python3, pydicom, GDCM
 * or numpy are missing.
 */
final class ReferenceDecoder {
    static final String PYTHON = System.getProperty("cxr.python", "/usr/bin/python3");

    private static final String SCRIPT = """
            import sys, numpy as np
            import pydicom

            def decode(src, dst):
                try:
                    a = pydicom.dcmread(src, force=True).pixel_array
                except AttributeError:
                    import gdcm
                    r = gdcm.ImageReader(); r.SetFileName(src)
                    if not r.Read(): raise ValueError('GDCM cannot read ' + src)
                    img = r.GetImage(); pf = img.GetPixelFormat()
                    dt = {(8,0):'u1',(8,1):'i1',(16,0):'<u2',(16,1):'<i2'}[(pf.GetBitsAllocated(), pf.GetPixelRepresentation())]
                    a = np.frombuffer(img.GetBuffer().encode('utf-8', 'surrogateescape'), dtype=dt)
                np.ascontiguousarray(a).astype('<i4').tofile(dst)

            for line in sys.stdin:
                try:
                    decode(*line.rstrip('\\n').split('\\t'))
                    print('ok', flush=True)
                except Exception as e:
                    print(' '.join(('failed: ' + str(e)).split()), flush=True)
            """;

    private static Boolean available;
    private static BufferedReader answers;
    private static PrintWriter requests;

    private ReferenceDecoder() {
    }

    static synchronized void assumeAvailable() {
        if (available == null) {
            available = start();
        }
        Assumptions.assumeTrue(available, "SKIPPED: the reference decoder needs " + PYTHON
                + " with pydicom, GDCM and numpy (Debian: python3-pydicom python3-gdcm python3-numpy)");
    }

    /** Starts the interpreter; false when it cannot import what it needs. */
    private static boolean start() {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import gdcm\n" + SCRIPT)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            requests = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8);
            answers = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Path probe = Files.createTempFile("cxr-ref", ".i32");
            try {
                // a request on a missing file: any answer means the imports worked
                requests.println(probe.resolveSibling("absent.dcm") + "\t" + probe);
                return answers.readLine() != null;
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** All frames' stored values as pydicom's pixel_array returns them, flattened. */
    static synchronized int[] decode(Path dicom) throws IOException {
        assumeAvailable();
        Path out = Files.createTempFile("cxr-ref", ".i32");
        try {
            requests.println(dicom + "\t" + out);
            String answer = answers.readLine();
            if (!"ok".equals(answer)) {
                throw new IOException("reference decoder failed on " + dicom + ": " + answer);
            }
            ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
            int[] v = new int[bb.remaining() / 4];
            bb.asIntBuffer().get(v);
            return v;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
