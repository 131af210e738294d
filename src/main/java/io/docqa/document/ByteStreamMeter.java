package io.docqa.document;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Flux;

/**
 * Counts and hashes (SHA-256) the bytes of one upload as they pass, and fails with {@link TooLargeException} as soon
 * as the count crosses the limit, cancelling the source so the rest is never read. One meter measures one stream.
 */
final class ByteStreamMeter {

    private final long limit;
    private final MessageDigest digest = sha256Digest();
    private final AtomicBoolean used = new AtomicBoolean();
    private volatile long bytesRead;
    private volatile String sha256;

    ByteStreamMeter(long limit) {
        this.limit = limit;
    }

    Flux<DataBuffer> meter(Flux<DataBuffer> bytes) {
        return Flux.defer(() -> {
            if (!used.compareAndSet(false, true)) {
                return Flux.error(new IllegalStateException("A ByteStreamMeter measures a single stream"));
            }
            return limit(bytes.doOnNext(buffer -> bytesRead += buffer.readableByteCount()), limit)
                    .doOnNext(buffer -> {
                        try (DataBuffer.ByteBufferIterator views = buffer.readableByteBuffers()) {
                            views.forEachRemaining(digest::update);
                        }
                    })
                    .doOnComplete(() -> sha256 = HexFormat.of().formatHex(digest.digest()));
        });
    }

    /** Only the size limit, for a stream that is already metered elsewhere. */
    static Flux<DataBuffer> limit(Flux<DataBuffer> bytes, long limit) {
        return Flux.defer(() -> {
            long[] count = { 0 };
            return bytes.<DataBuffer>handle((buffer, sink) -> {
                count[0] += buffer.readableByteCount();
                if (count[0] > limit) {
                    DataBufferUtils.release(buffer);
                    sink.error(new TooLargeException(limit));
                    return;
                }
                sink.next(buffer);
            }).doOnDiscard(DataBuffer.class, DataBufferUtils::release);
        });
    }

    /** Bytes seen so far (on error, including the buffer that crossed the limit). */
    long bytesRead() {
        return bytesRead;
    }

    /** Lower-case hex SHA-256 of the whole stream; available once it has completed. */
    String sha256() {
        String hex = sha256;
        if (hex == null) {
            throw new IllegalStateException("The stream has not completed yet");
        }
        return hex;
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
