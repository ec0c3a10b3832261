package org.cxr.ingest.hl7;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

import org.cxr.dimse.TcpListener;
import org.jboss.logging.Logger;

/**
 * A Minimal Lower Layer Protocol listener (HL7 v2 transport: {@code 0x0B} message {@code 0x1C 0x0D}):
 * every framed message gets the handler's reply, framed, on the same connection; connections stay
 * open for the next message (RIS feeds keep theirs for hours). Bounded everywhere, unlike a plain
 * read-until-end: one thread per connection from a pool of {@code maxConnections} (more are closed
 * at once; {@link TcpListener}, shared with the DICOM listener), a message over {@code maxMessageBytes} is answered by {@link Handler#tooLarge} and the
 * connection closed (it cannot be resynchronised), a message must complete within
 * {@code messageTimeout}, and a connection idle for {@code idleTimeout} is closed. Bytes outside a
 * frame are skipped.
 */
public final class MllpServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MllpServer.class);
    static final int START = 0x0B;
    static final int END = 0x1C;
    static final int CR = 0x0D;

    /** Turns one received message into the reply to send back (an ACK). Must not throw. */
    public interface Handler {
        byte[] handle(byte[] message, InetAddress remote);

        /** The reply to a message over the size limit (the connection is closed after it). */
        byte[] tooLarge(int limit, InetAddress remote);
    }

    public record Limits(int maxMessageBytes, int maxConnections, Duration idleTimeout, Duration messageTimeout) {
    }

    private final Handler handler;
    private final Limits limits;
    private TcpListener tcp;

    private MllpServer(Handler handler, Limits limits) {
        this.handler = handler;
        this.limits = limits;
    }

    public static MllpServer start(String bindAddress, int port, Limits limits, Handler handler) throws IOException {
        MllpServer server = new MllpServer(handler, limits);
        server.tcp = TcpListener.start("mllp-connection", bindAddress, port, limits.maxConnections(), server::serve,
                s -> LOG.warnf("MLLP connection from %s refused: all %d connections busy", s.getInetAddress().getHostAddress(),
                        limits.maxConnections()));
        return server;
    }

    public int port() {
        return tcp.port();
    }

    private void serve(Socket s) {
        InetAddress remote = s.getInetAddress();
        try {
            InputStream in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
            while (true) {
                s.setSoTimeout(timeout(limits.idleTimeout()));
                if (!skipToStart(in)) {
                    return;
                }
                s.setSoTimeout(timeout(limits.messageTimeout()));
                ByteArrayOutputStream message = new ByteArrayOutputStream(4096);
                int b;
                while ((b = in.read()) != END) {
                    if (b < 0) {
                        return; // cut off inside a message: nothing to answer
                    }
                    if (message.size() >= limits.maxMessageBytes()) {
                        send(out, handler.tooLarge(limits.maxMessageBytes(), remote));
                        return;
                    }
                    message.write(b);
                }
                in.mark(1);
                if (in.read() != CR) {
                    in.reset(); // a sender that ends frames without the CR
                }
                send(out, handler.handle(message.toByteArray(), remote));
            }
        } catch (SocketTimeoutException e) {
            LOG.debugf("MLLP connection from %s closed: %s", remote.getHostAddress(), "timeout");
        } catch (IOException e) {
            LOG.debugf("MLLP connection from %s ended: %s", remote.getHostAddress(), e.getMessage());
        }
    }

    /** Reads up to the start byte; false at the end of the stream. Anything before it is not MLLP and is skipped. */
    private boolean skipToStart(InputStream in) throws IOException {
        int skipped = 0;
        int b;
        while ((b = in.read()) != START) {
            if (b < 0) {
                return false;
            }
            if (b != CR && b != '\n' && ++skipped == limits.maxMessageBytes()) {
                throw new IOException("no MLLP frame in " + skipped + " bytes");
            }
        }
        return true;
    }

    private static void send(OutputStream out, byte[] reply) throws IOException {
        out.write(START);
        out.write(reply);
        out.write(END);
        out.write(CR);
        out.flush();
    }

    private static int timeout(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }

    @Override
    public void close() {
        tcp.close();
    }
}
