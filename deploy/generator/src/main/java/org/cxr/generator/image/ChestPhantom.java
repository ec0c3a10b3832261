package org.cxr.generator.image;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import org.cxr.generator.ids.Seeds;

/**
 * Synthetic chest radiographs: body outline, lung fields, heart and mediastinum, spine, ribs as
 * smooth bands, clavicles, optional collimation borders and a lead marker, plus noise. Not anatomy,
 * but an image whose histogram and structure look like a chest film, so conversion and
 * equalisation have realistic work to do.
 * <p>Speed: the anatomy (the costly part) is evaluated on a grid of one sample per
 * {@code step} pixels and interpolated bilinearly; the full-resolution pass only interpolates, adds
 * noise from a table and stores — a 3000×2500 16-bit image takes a few tens of milliseconds.
 */
public final class ChestPhantom {
    private static final int NOISE_SIZE = 1 << 16;
    private static final int NOISE_MASK = NOISE_SIZE - 1;
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private ChestPhantom() {
    }

    /** The native pixel data (little endian, {@code bytesPerSample} per pixel) of the image. */
    public static byte[] render(ImageSpec spec, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Anatomy anatomy = new Anatomy(r, spec.frontal());
        int w = spec.columns();
        int h = spec.rows();
        int step = Math.max(1, Math.min(8, Math.min(w, h) / 200));
        int gw = w / step + 2;
        int gh = h / step + 2;

        // Brightness in MONOCHROME2 sense, mapped to the stored range with a per-image window.
        int range = (1 << spec.bitsStored()) - 1;
        double lo = range * (0.01 + 0.06 * r.nextDouble());
        double hi = range * (0.80 + 0.17 * r.nextDouble());
        float[] grid = new float[gw * gh];
        for (int v = 0; v < gh; v++) {
            double y = (double) v * step / h;
            for (int u = 0; u < gw; u++) {
                double x = (double) u * step / w;
                grid[v * gw + u] = (float) (lo + (hi - lo) * anatomy.brightness(x, y));
            }
        }

        float[] noise = new float[NOISE_SIZE];
        double sigma = (hi - lo) * (0.004 + 0.008 * r.nextDouble());
        for (int i = 0; i < NOISE_SIZE; i++) {
            // Sum of three uniforms: bell-shaped, cheap, deterministic.
            noise[i] = (float) (sigma * (r.nextDouble() + r.nextDouble() + r.nextDouble() - 1.5) * 2.0);
        }

        // stored = base + sign * value folds MONOCHROME1 inversion and signed storage into one step.
        boolean mono1 = ImageSpec.MONOCHROME1.equals(spec.photometric());
        int offset = spec.pixelRepresentation() == 1 ? 1 << (spec.bitsStored() - 1) : 0;
        int base = (mono1 ? range : 0) - offset;
        int sign = mono1 ? -1 : 1;
        boolean wide = spec.bytesPerSample() == 2;
        byte[] out = new byte[(int) spec.nativeBytes()];
        float[] line = new float[gw];
        float inverseStep = 1f / step;
        long rowRandom = r.nextLong();
        int o = 0;
        for (int y = 0; y < h; y++) {
            int v0 = (y / step) * gw;
            float fy = (y % step) * inverseStep;
            for (int u = 0; u < gw; u++) {
                float a = grid[v0 + u];
                line[u] = a + (grid[v0 + gw + u] - a) * fy;
            }
            rowRandom = Seeds.mix(rowRandom);
            int noiseOffset = (int) rowRandom;
            // Linear interpolation across each grid cell by accumulation: no per-pixel index maths.
            for (int u = 0, x = 0; x < w; u++) {
                float a = line[u];
                float d = (line[u + 1] - a) * inverseStep;
                int end = Math.min(w, x + step);
                for (; x < end; x++, a += d) {
                    int value = (int) (a + noise[(noiseOffset + x) & NOISE_MASK]);
                    int stored = base + sign * (value < 0 ? 0 : Math.min(value, range));
                    if (wide) {
                        SHORT_LE.set(out, o, (short) stored);
                        o += 2;
                    } else {
                        out[o++] = (byte) stored;
                    }
                }
            }
        }
        return out;
    }

    /** The picture, in coordinates x (0 = image left) and y (0 = top) normalised to [0, 1]. */
    private static final class Anatomy {
        private final boolean frontal;
        private final double cx;
        private final double lungTop;
        private final double lungBottom;
        private final double lungWidth;
        private final double heartX;
        private final double heartY;
        private final double heartRx;
        private final double heartRy;
        private final double ribSpacing;
        private final double bodyWidth;
        private final double collimation;
        private final double markerX;
        private final double markerY;
        private final double markerSize;

        Anatomy(SplittableRandom r, boolean frontal) {
            this.frontal = frontal;
            cx = 0.5 + 0.04 * (r.nextDouble() - 0.5);
            lungTop = 0.14 + 0.04 * r.nextDouble();
            lungBottom = 0.72 + 0.08 * r.nextDouble();
            lungWidth = 0.16 + 0.03 * r.nextDouble();
            heartX = frontal ? cx + 0.035 + 0.025 * r.nextDouble() : 0.36 + 0.04 * r.nextDouble();
            double heartScale = 0.85 + 0.4 * r.nextDouble(); // cardiothoracic ratio ≈ 0.4–0.6
            heartRx = (frontal ? 0.17 : 0.14) * heartScale;
            heartRy = 0.11 * heartScale;
            heartY = lungBottom - 0.7 * heartRy;
            ribSpacing = 0.052 + 0.012 * r.nextDouble();
            bodyWidth = frontal ? 0.40 + 0.07 * r.nextDouble() : 0.34 + 0.06 * r.nextDouble();
            collimation = r.nextInt(2) == 0 ? 0 : 0.01 + 0.03 * r.nextDouble();
            markerX = r.nextBoolean() ? 0.06 + 0.05 * r.nextDouble() : 0.86 + 0.05 * r.nextDouble();
            markerY = 0.05 + 0.08 * r.nextDouble();
            markerSize = 0.012 + 0.01 * r.nextDouble();
        }

        double brightness(double x, double y) {
            if (collimation > 0 && (x < collimation || x > 1 - collimation || y < collimation || y > 1 - collimation)) {
                return 0.97; // outside the collimator: unexposed
            }
            if (Math.abs(x - markerX) < markerSize && Math.abs(y - markerY) < markerSize * 1.4) {
                return 1.0; // lead marker
            }
            double b = frontal ? frontal(x, y) : lateral(x, y);
            return 0.03 + Math.min(0.9, Math.max(0, b)) * (0.95 + 0.08 * y); // heel effect
        }

        private double frontal(double x, double y) {
            double dx = Math.abs(x - cx);
            // Neck widening into shoulders, then the torso.
            double halfWidth = 0.09 + (bodyWidth - 0.09) * smooth(0.0, 0.16, y) - 0.03 * smooth(0.7, 1.1, y);
            double body = smooth(-0.015, 0.02, halfWidth - dx);
            double a = 0.45 * body;

            double lung = 0;
            if (y > lungTop - 0.05 && y < lungBottom + 0.05) {
                double side = x < cx ? -1 : 1;
                double lx = cx + side * (0.07 + lungWidth * 0.75);
                double t = (y - lungTop) / (lungBottom - lungTop);
                double rx = lungWidth * (0.55 + 0.55 * Math.min(1, Math.max(0, t)));
                double ly = (lungTop + lungBottom) / 2 + (side > 0 ? 0.015 : 0); // left dome lower
                double ry = (lungBottom - lungTop) / 2;
                double d = sq((x - lx) / rx) + sq((y - ly) / ry);
                // denser towards the bases (soft tissue overlap), mottled by vessels
                lung = smooth(1.0, 0.8, d) * (1 - 0.25 * Math.min(1, Math.max(0, t))) * (0.9 + 0.2 * texture(x, y));
            }
            // The heart and mediastinum hide the lung behind them rather than adding to the tissue.
            double heart = smooth(1.0, 0.75, sq((x - heartX) / heartRx) + sq((y - heartY) / heartRy));
            double mediastinum = smooth(0.075, 0.05, dx) * smooth(0.02, 0.08, y) * smooth(heartY + 0.05, heartY, y);
            double solid = Math.max(heart, mediastinum);
            a -= 0.32 * lung * (1 - 0.85 * solid) * body;
            a += 0.05 * solid * body;

            double spine = smooth(0.035, 0.022, dx);
            a += spine * (0.08 + 0.05 * band(y * 14, 0.3)) * body;

            if (dx > 0.02 && y > 0.08 && y < lungBottom + 0.04) {
                double zone = smooth(0.02, 0.06, dx) * smooth(halfWidth, halfWidth - 0.04, dx)
                        * smooth(lungBottom + 0.04, lungBottom - 0.02, y) * body;
                double posterior = band((y - 0.30 * dx + 0.5 * dx * dx) / ribSpacing, 0.22);
                double anterior = band((y + 0.22 * dx) / (ribSpacing * 1.3), 0.3);
                a += zone * (0.11 * posterior + 0.045 * anterior);
                double clavicleY = lungTop - 0.02 + 0.12 * (dx - 0.05);
                if (dx > 0.03 && dx < 0.30) {
                    a += 0.16 * smooth(0.025, 0, Math.abs(y - clavicleY)) * body;
                }
            }
            a += 0.06 * smooth(lungBottom - 0.02, lungBottom + 0.08, y) * body; // abdomen
            return a;
        }

        private double lateral(double x, double y) {
            double halfWidth = bodyWidth * (0.75 + 0.25 * smooth(0.0, 0.25, y));
            double body = smooth(-0.015, 0.02, halfWidth - Math.abs(x - 0.52));
            double a = 0.50 * body;
            double lung = smooth(1.0, 0.8, sq((x - 0.50) / 0.27) + sq((y - (lungTop + lungBottom) / 2) / ((lungBottom - lungTop) / 2 + 0.03)));
            double heart = smooth(1.0, 0.75, sq((x - heartX) / heartRx) + sq((y - heartY) / heartRy));
            a -= 0.30 * lung * (1 - 0.8 * heart) * body;
            double spineX = 0.74 + 0.05 * (y - 0.5);
            double spine = smooth(0.045, 0.03, Math.abs(x - spineX));
            a += spine * (0.15 + 0.08 * band(y * 12, 0.3)) * body;
            a += 0.07 * smooth(0.012, 0.006, Math.abs(x - (0.5 - halfWidth + 0.05))) * body; // sternum
            a += 0.035 * band((y - 0.15 * x) / ribSpacing, 0.25) * lung * body;
            a += 0.05 * smooth(lungBottom - 0.02, lungBottom + 0.08, y) * body;
            return a;
        }

        private static double sq(double v) {
            return v * v;
        }

        /** Deterministic value noise in [0, 1) on the sampling grid (no state, so any order of calls). */
        private static double texture(double x, double y) {
            long h = Seeds.mix(Double.doubleToLongBits(x) * 0x9e3779b97f4a7c15L ^ Double.doubleToLongBits(y));
            return (h >>> 11) * 0x1.0p-53;
        }

        /**
         * A periodic smooth band: 1 at integer {@code p}, falling to 0 at distance {@code width}
         * (plain arithmetic, unlike Math.cos, gives identical pixels on every JVM).
         */
        private static double band(double p, double width) {
            return smooth(width, 0, Math.abs(p - Math.floor(p + 0.5)));
        }

        /** Smoothstep from 0 at {@code e0} to 1 at {@code e1} (either direction). */
        private static double smooth(double e0, double e1, double v) {
            double t = (v - e0) / (e1 - e0);
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            return t * t * (3 - 2 * t);
        }
    }
}
