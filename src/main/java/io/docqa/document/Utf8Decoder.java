package io.docqa.document;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Decodes a stream of bytes as UTF-8, one buffer at a time: the bytes of a character split across two buffers are
 * carried over to the next. Invalid UTF-8, a truncated last character and NUL bytes (binary content posing as text)
 * end the stream with {@link UnreadableContentException}. A leading byte order mark is dropped. Every buffer is
 * released, whether it was decoded or the stream was cancelled or failed.
 */
final class Utf8Decoder {

    private static final byte[] NOTHING = new byte[0];

    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] carry = NOTHING;
    private long decodedBytes;
    private boolean atStart = true;

    private Utf8Decoder() {
    }

    static Flux<String> decode(Flux<DataBuffer> bytes) {
        return Flux.defer(() -> {
            Utf8Decoder state = new Utf8Decoder();
            return bytes.<String>handle((buffer, sink) -> {
                String text;
                try {
                    text = state.next(buffer);
                }
                catch (UnreadableContentException e) {
                    sink.error(e);
                    return;
                }
                finally {
                    DataBufferUtils.release(buffer);
                }
                if (!text.isEmpty()) {
                    sink.next(text);
                }
            }).concatWith(Mono.defer(state::finish)).doOnDiscard(DataBuffer.class, DataBufferUtils::release);
        });
    }

    private String next(DataBuffer buffer) {
        int length = buffer.readableByteCount();
        byte[] bytes = Arrays.copyOf(carry, carry.length + length);
        buffer.read(bytes, carry.length, length);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, false);
        if (result.isError()) {
            throw new UnreadableContentException("The file is not valid UTF-8 text (invalid bytes at byte "
                    + (decodedBytes + in.position()) + ")");
        }
        carry = in.hasRemaining() ? Arrays.copyOfRange(bytes, in.position(), bytes.length) : NOTHING;
        decodedBytes += in.position();
        return checked(out.flip());
    }

    private String checked(CharBuffer chars) {
        if (atStart && chars.hasRemaining()) {
            atStart = false;
            if (chars.get(chars.position()) == '\uFEFF') {
                chars.position(chars.position() + 1);
            }
        }
        String text = chars.toString();
        if (text.indexOf('\0') >= 0) {
            throw new UnreadableContentException("The file contains binary data (NUL bytes), not text");
        }
        return text;
    }

    private Mono<String> finish() {
        return carry.length == 0 ? Mono.empty()
                : Mono.error(new UnreadableContentException("The file is not valid UTF-8 text (it ends in the middle of a character)"));
    }
}
