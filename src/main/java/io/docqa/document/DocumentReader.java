package io.docqa.document;

import java.nio.file.Path;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Turns the bytes of a file of a known kind into a stream of text with its heading path. Every file is spooled first
 * (the parsers then read from the file, a bounded part at a time), so that every limit on the bytes is enforced, and
 * the whole file is known, before any text reaches the embedder.
 */
@Component
class DocumentReader {

    private static final int TEXT_BUFFER = 16 * 1024;

    private final DocumentParser parser;
    private final Path spoolDirectory;

    DocumentReader(DocumentParser parser, UploadProperties properties) {
        this.parser = parser;
        this.spoolDirectory = properties.spoolDirectory();
    }

    /** @param admit runs once every byte is spooled, before any parsing; its error ends the read */
    Flux<TextPiece> read(DocumentKind kind, Flux<DataBuffer> bytes, Mono<Void> admit) {
        return Spool.spooled(spoolDirectory, bytes, path -> admit.thenMany(parse(kind, path)));
    }

    private Flux<TextPiece> parse(DocumentKind kind, Path file) {
        return switch (kind) {
            case TEXT -> Utf8Decoder.decode(DataBufferUtils.read(file, DefaultDataBufferFactory.sharedInstance, TEXT_BUFFER))
                    .map(TextPiece::of);
            case MARKDOWN, HTML, PDF, DOCX -> parser.parse(file, kind);
        };
    }
}
