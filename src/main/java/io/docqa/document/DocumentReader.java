package io.docqa.document;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

/**
 * Turns the bytes of a file of a known kind into a stream of text with its heading path: incrementally for plain text,
 * via a spooled file otherwise (the parsers read from the file, a bounded part at a time).
 */
@Component
class DocumentReader {

    private final DocumentParser parser;

    DocumentReader(DocumentParser parser) {
        this.parser = parser;
    }

    Flux<TextPiece> read(DocumentKind kind, Flux<DataBuffer> bytes) {
        return switch (kind) {
            case TEXT -> Utf8Decoder.decode(bytes).map(TextPiece::of);
            case MARKDOWN, HTML, PDF, DOCX -> Spool.spooled(bytes, path -> parser.parse(path, kind));
        };
    }
}
