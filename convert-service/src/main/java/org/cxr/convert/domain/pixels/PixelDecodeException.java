package org.cxr.convert.domain.pixels;

/** The pixel data cannot be decoded; the message says why in words an operator understands. */
public class PixelDecodeException extends Exception {
    public PixelDecodeException(String message) {
        super(message);
    }

    public PixelDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
