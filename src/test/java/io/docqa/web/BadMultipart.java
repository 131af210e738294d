package io.docqa.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Multipart bodies that are broken in one way each, keyed by the Content-Type they are sent with. */
final class BadMultipart {

    static final String BOUNDARY = "bad-input-boundary";
    static final String TYPE = "multipart/form-data; boundary=" + BOUNDARY;

    private BadMultipart() {
    }

    static byte[] valid() {
        return part("file", "notes.txt", "text/plain", "A few words of plain text.\n") .concat(end()).bytes();
    }

    /** Several bodies share a content type, so each key carries a comment that Spring ignores. */
    static Map<String, byte[]> bodies() {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("multipart/form-data", valid());
        bodies.put("multipart/form-data; boundary=", valid());
        bodies.put("multipart/form-data; boundary=\"unclosed", valid());
        bodies.put("multipart/form-data; boundary=" + "b".repeat(300), valid());
        bodies.put("multipart/mixed; boundary=" + BOUNDARY, valid());
        bodies.put(TYPE + "; n=garbage", "this is not multipart at all".getBytes(StandardCharsets.UTF_8));
        bodies.put(TYPE + "; n=empty", new byte[0]);
        bodies.put(TYPE + "; n=unterminated", ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; "
                + "filename=\"x.txt\"\r\n\r\nno closing boundary").getBytes(StandardCharsets.UTF_8));
        bodies.put(TYPE + "; n=no-headers-end", ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"")
                .getBytes(StandardCharsets.UTF_8));
        bodies.put(TYPE + "; n=crlf-filename", part("file", "a\r\nb.txt", "text/plain", "crlf in the name\n").concat(end()).bytes());
        bodies.put(TYPE + "; n=control-filename", part("file", "a\u0000b\u0007c\u001b[31m.txt", "text/plain", "nul\n").concat(end()).bytes());
        bodies.put(TYPE + "; n=traversal-filename", part("file", "../../../etc/passwd", "text/plain", "dots\n").concat(end()).bytes());
        bodies.put(TYPE + "; n=rtl-filename", part("file", "invoice\u202etxt.exe", "text/plain", "rtl\n").concat(end()).bytes());
        bodies.put(TYPE + "; n=quote-filename", part("file", "a\"b\\\".txt", "text/plain", "quotes\n").concat(end()).bytes());
        bodies.put(TYPE + "; n=long-filename", part("file", "n".repeat(5000) + ".txt", "text/plain", "long\n").concat(end()).bytes());
        bodies.put(TYPE + "; n=bad-utf8-filename", new Body(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
                .getBytes(StandardCharsets.UTF_8)).concat(new byte[] { (byte) 0xff, (byte) 0xc0, '.', 't', 'x', 't' })
                .concat(new Body("\"\r\nContent-Type: text/plain\r\n\r\nbad bytes\n\r\n".getBytes(StandardCharsets.UTF_8))).concat(end()).bytes());
        bodies.put(TYPE + "; n=bad-part-type", part("file", "x.txt", "???", "what type\n").concat(end()).bytes());
        bodies.put(TYPE + "; n=bad-part-charset", part("file", "x.txt", "text/plain; charset=ebcdic", "charset\n").concat(end()).bytes());
        bodies.put(TYPE + "; n=empty-file", part("file", "empty.txt", "text/plain", "").concat(end()).bytes());
        bodies.put(TYPE + "; n=no-file-part", field("other", "value").concat(end()).bytes());
        bodies.put(TYPE + "; n=file-without-filename", field("file", "just a field").concat(end()).bytes());
        bodies.put(TYPE + "; n=huge-part-headers", new Body(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.txt\"\r\n"
                + "X-Pad: " + "p".repeat(40_000) + "\r\n\r\ntext\r\n").getBytes(StandardCharsets.UTF_8)).concat(end()).bytes());
        Body many = new Body(new byte[0]);
        for (int i = 0; i < 50; i++) {
            many = many.concat(part("file", "f" + i + ".txt", "text/plain", "file number " + i + "\n"));
        }
        bodies.put(TYPE + "; n=too-many-files", many.concat(end()).bytes());
        Body fields = new Body(new byte[0]);
        for (int i = 0; i < 500; i++) {
            fields = fields.concat(field("f" + i, "v"));
        }
        bodies.put(TYPE + "; n=too-many-fields", fields.concat(end()).bytes());
        bodies.put(TYPE + "; n=binary-as-text", part("file", "x.txt", "text/plain", "\u0000\u0001\u0002\u00ff binary").concat(end()).bytes());
        bodies.put(TYPE + "; n=unknown-type", part("file", "x.exe", "application/x-msdownload", "MZ\u0090\u0000").concat(end()).bytes());
        bodies.put(TYPE + "; n=json-body", "{\"file\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        return bodies;
    }

    private static Body part(String name, String filename, String type, String content) {
        return new Body(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: " + type + "\r\n\r\n" + content + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private static Body field(String name, String value) {
        return new Body(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static Body end() {
        return new Body(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private record Body(byte[] bytes) {

        Body concat(byte[] more) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(bytes);
            out.writeBytes(more);
            return new Body(out.toByteArray());
        }

        Body concat(Body more) {
            return concat(more.bytes());
        }
    }
}
