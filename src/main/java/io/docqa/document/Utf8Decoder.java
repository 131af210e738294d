package io.docqa.document;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SynchronousSink;

/**
 * Decodes UTF-8 incrementally: a character split across two buffers is carried over to the next one. Invalid UTF-8
 * and NUL characters (binary content) fail with {@link UnreadableContentException}.
 */
final class Utf8Decoder {

    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] carried = new byte[0];
    private boolean first = true;

    private Utf8Decoder() {
    }

    static Flux<String> decode(Flux<DataBuffer> bytes) {
        return Flux.defer(() -> {
            Utf8Decoder state = new Utf8Decoder();
            return bytes.<String>handle(state::next).concatWith(Flux.defer(state::finish));
        });
    }

    private void next(DataBuffer buffer, SynchronousSink<String> sink) {
        byte[] input;
        try {
            input = new byte[carried.length + buffer.readableByteCount()];
            System.arraycopy(carried, 0, input, 0, carried.length);
            buffer.read(input, carried.length, buffer.readableByteCount());
        }
        finally {
            DataBufferUtils.release(buffer);
        }
        ByteBuffer in = ByteBuffer.wrap(input);
        CharBuffer out = CharBuffer.allocate(input.length);
        CoderResult result = decoder.decode(in, out, false);
        if (result.isError()) {
            sink.error(notUtf8());
            return;
        }
        carried = new byte[in.remaining()];
        in.get(carried);
        emit(out, sink);
    }

    private Flux<String> finish() {
        CharBuffer out = CharBuffer.allocate(carried.length + 1);
        CoderResult result = decoder.decode(ByteBuffer.wrap(carried), out, true);
        if (result.isError() || decoder.flush(out).isError()) {
            return Flux.error(notUtf8());
        }
        out.flip();
        return out.hasRemaining() ? Flux.just(out.toString()) : Flux.empty();
    }

    private void emit(CharBuffer out, SynchronousSink<String> sink) {
        out.flip();
        String text = out.toString();
        if (first && !text.isEmpty()) {
            first = false;
            if (text.charAt(0) == '\uFEFF') {
                text = text.substring(1);
            }
        }
        if (text.indexOf('\u0000') >= 0) {
            sink.error(new UnreadableContentException("The file is not text: it contains binary data"));
            return;
        }
        if (!text.isEmpty()) {
            sink.next(text);
        }
    }

    private static UnreadableContentException notUtf8() {
        return new UnreadableContentException("The file is not valid UTF-8 text");
    }
}
