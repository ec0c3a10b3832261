package org.cxr.convert.natives;

/**
 * How JavaCPP (bytedeco) is to load our native libraries; {@link #configure} runs before its
 * Loader first does (the static initialisers of {@link OpenCvEncoder} and {@link OpenJpeg}).
 */
final class JavaCpp {
    /**
     * Without a platform extension set, JavaCPP also tries every library of the {@code -gpu} builds
     * before the CPU one we ship (CUDA, cuBLAS, cuDNN, NPP: 24 names, each searched in every jar of
     * the class path, then in the system paths): about 0.2 s of CPU in each process that loads
     * OpenCV, for libraries that are never there. An extension the user sets is kept.
     */
    static final String EXTENSION = "org.bytedeco.javacpp.platform.extension";

    private JavaCpp() {
    }

    static void configure() {
        if (System.getProperty(EXTENSION) == null) {
            System.setProperty(EXTENSION, "");
        }
    }
}
