package io.docqa.document;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

/** Turns the bytes of a file of a known kind into a stream of text: incrementally for text, via a spooled file otherwise. */
@Component
class DocumentReader {

    private final DocumentParser parser;

    DocumentReader(DocumentParser parser) {
        this.parser = parser;
    }

    Flux<String> read(DocumentKind kind, Flux<DataBuffer> bytes) {
        return switch (kind) {
            case TEXT, MARKDOWN -> Utf8Decoder.decode(bytes);
            case HTML -> HtmlToText.convert(Utf8Decoder.decode(bytes));
            case PDF, DOCX -> Spool.spooled(bytes, path -> parser.parse(path, kind));
        };
    }
}
