package org.cxr.catalog.storage;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.cxr.platform.storage.ObjectStore;

/**
 * Small JPEGs of the converted images for the study pages, made from the JPG convert wrote (never a
 * bucket URL to the browser): decoded with source subsampling (a 3,000-pixel radiograph is read
 * at about twice the thumbnail size, not whole), scaled to {@value #SIZE} pixels on the long side
 * and kept in a bounded LRU cache keyed by the JPG's key and size (a re-conversion has another).
 */
@ApplicationScoped
public class Thumbnails {
    public static final int SIZE = 256;
    private static final int CACHED = 1024;

    @Inject
    ObjectStore store;

    private final Map<String, byte[]> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > CACHED;
        }
    };

    /** The thumbnail of the JPG at bucket/key (size bytes); the store's exceptions pass through. */
    public byte[] of(String bucket, String key, long size) {
        String id = bucket + "/" + key + "#" + size;
        synchronized (cache) {
            byte[] hit = cache.get(id);
            if (hit != null) {
                return hit;
            }
        }
        byte[] made;
        try (InputStream in = store.open(bucket, key)) {
            made = scale(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (cache) {
            cache.put(id, made);
        }
        return made;
    }

    static byte[] scale(InputStream jpg) throws IOException {
        BufferedImage src;
        try (ImageInputStream in = ImageIO.createImageInputStream(jpg)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException("not an image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int longSide = Math.max(reader.getWidth(0), reader.getHeight(0));
                ImageReadParam p = reader.getDefaultReadParam();
                int step = Math.max(1, longSide / (2 * SIZE));
                p.setSourceSubsampling(step, step, 0, 0);
                src = reader.read(0, p);
            } finally {
                reader.dispose();
            }
        }
        double f = Math.min(1.0, (double) SIZE / Math.max(src.getWidth(), src.getHeight()));
        int w = Math.max(1, (int) Math.round(src.getWidth() * f));
        int h = Math.max(1, (int) Math.round(src.getHeight() * f));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(src, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
        try (MemoryCacheImageOutputStream o = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(o);
            ImageWriteParam wp = writer.getDefaultWriteParam();
            wp.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            wp.setCompressionQuality(0.85f);
            writer.write(null, new IIOImage(out, null, null), wp);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
