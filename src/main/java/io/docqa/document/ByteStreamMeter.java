package io.docqa.document;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Flux;

/** Counts and hashes the bytes of one file as they pass, failing the moment the count crosses the limit. */
class ByteStreamMeter {

    private final long limit;
    private final MessageDigest digest;
    private long bytes;
    private String sha256;

    ByteStreamMeter(long limit) {
        this.limit = limit;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Flux<DataBuffer> meter(Flux<DataBuffer> content) {
        return content.handle((buffer, sink) -> {
            bytes += buffer.readableByteCount();
            if (bytes > limit) {
                DataBufferUtils.release(buffer);
                sink.error(new TooLargeException(limit));
                return;
            }
            try (DataBuffer.ByteBufferIterator views = buffer.readableByteBuffers()) {
                while (views.hasNext()) {
                    ByteBuffer view = views.next();
                    digest.update(view);
                }
            }
            sink.next(buffer);
        });
    }

    long bytesRead() {
        return bytes;
    }

    /** The hex SHA-256 of every byte seen; call once the content is complete. */
    String sha256() {
        if (sha256 == null) {
            sha256 = HexFormat.of().formatHex(digest.digest());
        }
        return sha256;
    }
}
