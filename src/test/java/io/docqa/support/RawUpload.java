package io.docqa.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A multipart upload written by hand over a plain socket (chunked transfer encoding), so that a test decides when each
 * byte is sent, can stop sending half-way, and can go away abruptly: what a slow, stalled or vanishing client does.
 */
public final class RawUpload implements AutoCloseable {

    private final String boundary = "raw-" + UUID.randomUUID();
    private final Socket socket;
    private final OutputStream out;
    private BufferedReader in;

    private RawUpload(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
    }

    /** Sends the request head of {@code POST /api/v1/documents}. */
    public static RawUpload start(int port, String bearer, String accept) {
        try {
            RawUpload upload = new RawUpload(new Socket("127.0.0.1", port));
            upload.socket.setSoTimeout(60_000);
            upload.out.write(("POST /api/v1/documents HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: " + bearer
                    + "\r\nAccept: " + accept + "\r\nContent-Type: multipart/form-data; boundary=" + upload.boundary
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            upload.out.flush();
            return upload;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a part named {@code file}; its bytes follow with {@link #send}. */
    public RawUpload fileHeader(String filename) {
        return send(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** A whole file part. */
    public RawUpload file(String filename, byte[] content) {
        return fileHeader(filename).send(content).send("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** Ends the multipart body (after the last part's {@code \r\n}) and the request. */
    public RawUpload finish() {
        send(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    public RawUpload send(byte[] bytes) {
        if (bytes.length == 0) {
            return this;
        }
        write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        write(bytes);
        return write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private RawUpload write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next line of the response (status line, headers, body), or null at its end. */
    public String readLine() {
        try {
            return reader().readLine();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the response until {@code text} has come (within a line or not); false if the response ended first. */
    public boolean readUntil(String text) {
        try {
            BufferedReader reader = reader();
            StringBuilder seen = new StringBuilder();
            for (int c = reader.read(); c != -1; c = reader.read()) {
                seen.append((char) c);
                if (seen.indexOf(text, Math.max(0, seen.length() - text.length())) >= 0) {
                    return true;
                }
            }
            return false;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private BufferedReader reader() throws IOException {
        if (in == null) {
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        }
        return in;
    }

    /** Goes away abruptly: the connection is reset, as when a client process dies. */
    public void abort() {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
