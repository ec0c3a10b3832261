package org.cxr.convert.natives;

import java.io.File;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

import org.bytedeco.javacpp.Loader;
import org.cxr.convert.domain.codec.Jpeg2000Decoder;
import org.cxr.convert.domain.codec.Jpeg2000Library;
import org.cxr.convert.domain.pixels.PixelDecodeException;

/**
 * OpenJPEG 2.5 (the library GDCM decodes with), called through JNA. Maven has no OpenJPEG binding
 * for Java 17, but bytedeco's leptonica natives (org.bytedeco:leptonica, linux-x86_64) link
 * OpenJPEG 2.5.4 statically and export its {@code opj_*} API; that shared library is extracted to
 * the JavaCPP cache and opened with RTLD_LOCAL, so the libjpeg/libpng copies inside it cannot
 * interpose on OpenCV's. It is a release build: no {@code assert()} that could abort the JVM on a
 * corrupt stream (Debian's libopenjp2 keeps ~400 of them). Thread-safe: each call has its own
 * codec and stream; the library is loaded on first use.
 */
public final class OpenJpeg implements Jpeg2000Library {
    private static final String LIBRARY = "/org/bytedeco/leptonica/linux-x86_64/libleptonica.so.6";
    private static final int RTLD_LAZY = 1; // without RTLD_GLOBAL: symbols stay local
    private static final int OPJ_CODEC_J2K = 0;
    private static final long END_OF_STREAM = -1;

    /** The part of openjpeg.h we use. OPJ_BOOL is int, OPJ_SIZE_T/OPJ_OFF_T are 64-bit. */
    interface Lib extends Library {
        interface ReadFn extends Callback {
            long invoke(Pointer buffer, long bytes, Pointer user);
        }

        interface SkipFn extends Callback {
            long invoke(long bytes, Pointer user);
        }

        interface SeekFn extends Callback {
            int invoke(long position, Pointer user);
        }

        interface MessageFn extends Callback {
            void invoke(String message, Pointer user);
        }

        String opj_version();

        void opj_set_default_decoder_parameters(Pointer parameters);

        Pointer opj_create_decompress(int format);

        int opj_setup_decoder(Pointer codec, Pointer parameters);

        int opj_codec_set_threads(Pointer codec, int threads);

        int opj_set_error_handler(Pointer codec, MessageFn handler, Pointer user);

        Pointer opj_stream_create(long bufferSize, int input);

        void opj_stream_set_read_function(Pointer stream, ReadFn fn);

        void opj_stream_set_skip_function(Pointer stream, SkipFn fn);

        void opj_stream_set_seek_function(Pointer stream, SeekFn fn);

        void opj_stream_set_user_data(Pointer stream, Pointer user, Pointer freeFn);

        void opj_stream_set_user_data_length(Pointer stream, long length);

        int opj_read_header(Pointer stream, Pointer codec, PointerByReference image);

        int opj_decode(Pointer codec, Pointer stream, Pointer image);

        int opj_end_decompress(Pointer codec, Pointer stream);

        void opj_image_destroy(Pointer image);

        void opj_stream_destroy(Pointer stream);

        void opj_destroy_codec(Pointer codec);
    }

    /** One decode in progress: the callbacks find it by the id OpenJPEG hands back as user data. */
    private static final class Source {
        final byte[] data;
        final int start;
        final int length;
        int position;
        final StringBuffer errors = new StringBuffer(); // worker threads may report errors too

        Source(byte[] data, int start) {
            this.data = data;
            this.start = start;
            this.length = data.length - start;
        }
    }

    private static final Map<Long, Source> ACTIVE = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();

    // Static callbacks: one native trampoline each for the life of the JVM.
    private static final Lib.ReadFn READ = (buffer, bytes, user) -> {
        Source s = ACTIVE.get(Pointer.nativeValue(user));
        if (s == null || s.position >= s.length) {
            return END_OF_STREAM;
        }
        int n = (int) Math.min(bytes, s.length - s.position);
        buffer.write(0, s.data, s.start + s.position, n);
        s.position += n;
        return n;
    };
    private static final Lib.SkipFn SKIP = (bytes, user) -> {
        Source s = ACTIVE.get(Pointer.nativeValue(user));
        if (s == null) {
            return END_OF_STREAM;
        }
        long step = Math.max(-s.length, Math.min(s.length, bytes)); // keeps the sum below from overflowing
        long target = Math.max(0, Math.min(s.length, s.position + step));
        long moved = target - s.position;
        s.position = (int) target;
        return moved == 0 && bytes != 0 ? END_OF_STREAM : moved; // 0 would make OpenJPEG skip forever
    };
    private static final Lib.SeekFn SEEK = (position, user) -> {
        Source s = ACTIVE.get(Pointer.nativeValue(user));
        if (s == null || position < 0 || position > s.length) {
            return 0;
        }
        s.position = (int) position;
        return 1;
    };
    private static final Lib.MessageFn ERROR = (message, user) -> {
        Source s = ACTIVE.get(Pointer.nativeValue(user));
        if (s != null && message != null && s.errors.length() < 1000) {
            s.errors.append(s.errors.length() > 0 ? "; " : "").append(message.strip());
        }
    };

    /** Loaded on first use; a load failure is reported by every decode rather than breaking class init. */
    private static final class Loaded {
        static final Lib LIB;
        static final Memory DEFAULT_PARAMETERS;
        static final String FAILURE;

        static {
            Lib lib = null;
            Memory parameters = null;
            String failure = null;
            JavaCpp.configure();
            try {
                File file = Loader.cacheResource(OpenJpeg.class, LIBRARY);
                lib = Native.load(file.getAbsolutePath(), Lib.class, Map.of(Library.OPTION_OPEN_FLAGS, RTLD_LAZY));
                // opj_dparameters_t is ~8.3 KB; opj_setup_decoder only reads it, so one copy serves all threads
                parameters = new Memory(16 * 1024);
                parameters.clear();
                lib.opj_set_default_decoder_parameters(parameters);
            } catch (Exception | LinkageError e) {
                lib = null;
                failure = "OpenJPEG (" + LIBRARY + " from org.bytedeco:leptonica linux-x86_64) cannot be loaded: " + e;
            }
            LIB = lib;
            DEFAULT_PARAMETERS = parameters;
            FAILURE = failure;
        }
    }

    /** The OpenJPEG version, e.g. "2.5.4". */
    public static String version() throws PixelDecodeException {
        return lib().opj_version();
    }

    private static Lib lib() throws PixelDecodeException {
        if (Loaded.LIB == null) {
            throw new PixelDecodeException(Jpeg2000Decoder.CODEC + ": " + Loaded.FAILURE);
        }
        return Loaded.LIB;
    }

    /** The decoded image's memory is read only after its geometry is checked. */
    @Override
    public void decode(byte[] data, int start, int columns, int rows, int components, int threads, int[] out)
            throws PixelDecodeException {
        if (out.length != columns * rows * components) {
            throw new IllegalArgumentException("out has " + out.length + " samples, not " + columns + "x" + rows + "x" + components);
        }
        Lib lib = lib();
        Source source = new Source(data, start);
        long id = IDS.incrementAndGet();
        Pointer user = new Pointer(id); // never dereferenced: OpenJPEG only passes it back
        ACTIVE.put(id, source);
        Pointer codec = lib.opj_create_decompress(OPJ_CODEC_J2K);
        if (codec == null) {
            ACTIVE.remove(id);
            throw new PixelDecodeException(Jpeg2000Decoder.CODEC + ": OpenJPEG could not create a decoder");
        }
        Pointer stream = null;
        Pointer image = null;
        try {
            lib.opj_set_error_handler(codec, ERROR, user);
            if (lib.opj_setup_decoder(codec, Loaded.DEFAULT_PARAMETERS) == 0) {
                throw failure("decoder set-up failed", source);
            }
            if (threads > 1) {
                lib.opj_codec_set_threads(codec, threads);
            }
            stream = lib.opj_stream_create(Math.max(1, source.length), 1);
            lib.opj_stream_set_read_function(stream, READ);
            lib.opj_stream_set_skip_function(stream, SKIP);
            lib.opj_stream_set_seek_function(stream, SEEK);
            lib.opj_stream_set_user_data(stream, user, null);
            lib.opj_stream_set_user_data_length(stream, source.length);
            PointerByReference header = new PointerByReference();
            if (lib.opj_read_header(stream, codec, header) == 0) {
                throw failure("invalid main header", source);
            }
            image = header.getValue();
            if (lib.opj_decode(codec, stream, image) == 0 || lib.opj_end_decompress(codec, stream) == 0) {
                throw failure("corrupt or truncated codestream", source);
            }
            samples(image, columns, rows, components, out);
        } finally {
            if (image != null) {
                lib.opj_image_destroy(image);
            }
            if (stream != null) {
                lib.opj_stream_destroy(stream);
            }
            lib.opj_destroy_codec(codec);
            ACTIVE.remove(id);
        }
    }

    // opj_image_t: x0 y0 x1 y1 numcomps color_space (6 x 4 bytes), then opj_image_comp_t *comps.
    private static final int IMAGE_NUMCOMPS = 16;
    private static final int IMAGE_COMPS = 24;
    // opj_image_comp_t (64 bytes): dx dy w h x0 y0 prec bpp sgnd resno_decoded factor (11 x 4), OPJ_INT32 *data at 48.
    private static final int COMP_SIZE = 64;
    private static final int COMP_DX = 0;
    private static final int COMP_DY = 4;
    private static final int COMP_W = 8;
    private static final int COMP_H = 12;
    private static final int COMP_FACTOR = 40;
    private static final int COMP_DATA = 48;

    private static void samples(Pointer image, int columns, int rows, int components, int[] out)
            throws PixelDecodeException {
        int numcomps = image.getInt(IMAGE_NUMCOMPS);
        Pointer comps = image.getPointer(IMAGE_COMPS);
        if (numcomps != components || comps == null) {
            throw new PixelDecodeException(Jpeg2000Decoder.CODEC + ": OpenJPEG decoded " + numcomps
                    + " component(s), expected " + components);
        }
        int pixels = columns * rows;
        int[] plane = components == 1 ? out : new int[pixels];
        for (int c = 0; c < components; c++) {
            Pointer comp = comps.share((long) c * COMP_SIZE);
            int w = comp.getInt(COMP_W);
            int h = comp.getInt(COMP_H);
            Pointer data = comp.getPointer(COMP_DATA);
            if (w != columns || h != rows || comp.getInt(COMP_DX) != 1 || comp.getInt(COMP_DY) != 1
                    || comp.getInt(COMP_FACTOR) != 0 || data == null) {
                throw new PixelDecodeException(Jpeg2000Decoder.CODEC + ": OpenJPEG decoded component " + c + " as "
                        + w + "x" + h + ", expected " + columns + "x" + rows);
            }
            data.read(0, plane, 0, pixels);
            if (components > 1) {
                for (int i = 0; i < pixels; i++) {
                    out[i * components + c] = plane[i];
                }
            }
        }
    }

    private static PixelDecodeException failure(String what, Source source) {
        String detail = source.errors.length() > 0 ? " (OpenJPEG: " + source.errors + ")" : "";
        return new PixelDecodeException(Jpeg2000Decoder.CODEC + ": " + what + detail);
    }
}
