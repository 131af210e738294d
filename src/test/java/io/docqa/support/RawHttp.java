package io.docqa.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, one request per connection, with the request sent exactly as given: a method, target or
 * header that every real client refuses to send (an unknown method, {@code %zz}, a control character, a 20 KB header)
 * arrives as written. The answer is read to the end of the connection and de-chunked.
 */
public final class RawHttp {

    private static final int TIMEOUT_MILLIS = 60_000;

    private final int port;

    public RawHttp(int port) {
        this.port = port;
    }

    public Response send(Request request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            Thread writer = new Thread(() -> write(socket, request.bytes()), "raw-http-writer");
            writer.start();
            Response response = Response.parse(readAll(socket.getInputStream()));
            writer.join();
            return response;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Response.failed("interrupted");
        }
        catch (SocketTimeoutException e) {
            return Response.failed("no complete answer within " + TIMEOUT_MILLIS + " ms");
        }
        catch (IOException e) {
            return Response.failed("connection failed: " + e);
        }
    }

    /**
     * Writes while the answer is read, as real clients do: a server may answer (401, 413) before it has read the whole
     * body and close, and a client that only reads once it has written everything can lose that answer to the reset.
     */
    private static void write(Socket socket, byte[] bytes) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
        }
        catch (IOException e) {
            // the server stopped reading: its answer, if any, is read all the same
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            in.transferTo(all);
        }
        catch (IOException e) {
            if (all.size() == 0) {
                throw e;
            }
            // a reset after a complete answer (the server closes while our body is still unread) is an answer all the same
        }
        return all.toByteArray();
    }

    /** A request as bytes; {@code headers} are written in order, and the body's length is added when there is one. */
    public record Request(String method, String target, List<Map.Entry<String, String>> headers, byte[] body) {

        public byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
            headers.forEach(header -> head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.writeBytes(body);
            }
            return out.toByteArray();
        }

        @Override
        public String toString() {
            String shown = method + " " + abbreviate(target);
            for (Map.Entry<String, String> header : headers) {
                if (!header.getKey().equalsIgnoreCase("Authorization")) {
                    shown += " [" + header.getKey() + ": " + abbreviate(header.getValue()) + "]";
                }
            }
            return body == null ? shown : shown + " body=" + abbreviate(new String(body, StandardCharsets.UTF_8));
        }
    }

    /** {@code status} 0 when no answer came; {@code error} then says why. */
    public record Response(int status, Map<String, String> headers, String body, String error) {

        static Response failed(String error) {
            return new Response(0, Map.of(), "", error);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        static Response parse(byte[] raw) {
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0 || !text.startsWith("HTTP/1.")) {
                return failed("no HTTP answer (" + raw.length + " bytes)");
            }
            String[] lines = text.substring(0, end).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
            byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = dechunk(body);
            }
            return new Response(status, headers, new String(body, StandardCharsets.UTF_8), null);
        }

        private static byte[] dechunk(byte[] chunked) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int at = 0;
            while (at < chunked.length) {
                int lineEnd = indexOfCrlf(chunked, at);
                if (lineEnd < 0) {
                    break;
                }
                String size = new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].trim();
                int length = Integer.parseInt(size, 16);
                if (length == 0) {
                    break;
                }
                out.write(chunked, lineEnd + 2, Math.min(length, chunked.length - lineEnd - 2));
                at = lineEnd + 2 + length + 2;
            }
            return out.toByteArray();
        }

        private static int indexOfCrlf(byte[] bytes, int from) {
            for (int i = from; i + 1 < bytes.length; i++) {
                if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                    return i;
                }
            }
            return -1;
        }
    }

    static String abbreviate(String text) {
        String visible = text.codePoints().collect(StringBuilder::new,
                (out, cp) -> out.append(cp < 0x20 || cp == 0x7f ? String.format("\\x%02x", cp) : new String(Character.toChars(cp))),
                StringBuilder::append).toString();
        return visible.length() <= 80 ? visible : visible.substring(0, 60) + "…(" + text.length() + " chars)";
    }

    /** Headers in order, for {@link Request}. */
    public static List<Map.Entry<String, String>> headers(String... namesAndValues) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                headers.add(Map.entry(namesAndValues[i], namesAndValues[i + 1]));
            }
        }
        return headers;
    }
}
