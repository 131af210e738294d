package io.docqa.document;

import java.util.ArrayList;
import java.util.List;

import reactor.core.publisher.Flux;

/**
 * Cuts streaming text into chunks of at most {@code size} characters, preferring a paragraph break, then a sentence
 * end, then a space; consecutive chunks overlap by about {@code overlap} characters, starting at a word. Only a window
 * of about two chunks is held, whatever the length of the text.
 */
final class TextChunker {

    private final int size;
    private final int overlap;
    private final StringBuilder window = new StringBuilder();
    private int carried;
    private int index;
    private boolean lastWasSpace = true;
    private int newlines = 2;

    private TextChunker(ChunkingProperties properties) {
        this.size = properties.size();
        this.overlap = properties.overlap();
    }

    static Flux<TextChunk> chunk(Flux<String> text, ChunkingProperties properties) {
        return Flux.defer(() -> {
            TextChunker chunker = new TextChunker(properties);
            return text.concatMapIterable(chunker::feed).concatWith(Flux.defer(() -> Flux.fromIterable(chunker.finish())));
        });
    }


    private List<TextChunk> feed(String piece) {
        List<TextChunk> chunks = new ArrayList<>();
        for (int i = 0; i < piece.length(); i++) {
            append(piece.charAt(i));
            if (window.length() >= size + size / 2) {
                cut(chunks);
            }
        }
        return chunks;
    }

    private List<TextChunk> finish() {
        List<TextChunk> chunks = new ArrayList<>();
        while (window.length() > size) {
            cut(chunks);
        }
        if (window.length() > carried) {
            emit(window.toString(), chunks);
        }
        window.setLength(0);
        return chunks;
    }

    /** Normalises as it appends: runs of blanks become one space, at most one empty line between paragraphs. */
    private void append(char c) {
        if (c == '\r') {
            return;
        }
        if (c == '\n') {
            if (newlines < 2) {
                trimTrailingSpace();
                window.append('\n');
                newlines++;
            }
            lastWasSpace = true;
            return;
        }
        if (Character.isWhitespace(c) || c == '\u00A0') {
            if (!lastWasSpace) {
                window.append(' ');
                lastWasSpace = true;
            }
            return;
        }
        window.append(c);
        lastWasSpace = false;
        newlines = 0;
    }

    private void trimTrailingSpace() {
        if (window.length() > 0 && window.charAt(window.length() - 1) == ' ') {
            window.setLength(window.length() - 1);
        }
    }

    private void cut(List<TextChunk> chunks) {
        int end = splitPoint();
        emit(window.substring(0, end), chunks);
        int next = Math.max(end - overlap, 0);
        while (next < end && !Character.isWhitespace(window.charAt(next))) {
            next++;
        }
        while (next < end && Character.isWhitespace(window.charAt(next))) {
            next++;
        }
        if (next >= end) {
            next = end;
        }
        window.delete(0, next);
        carried = end - next;
    }

    private int splitPoint() {
        int limit = Math.min(size, window.length());
        int floor = limit / 2;
        int paragraph = window.lastIndexOf("\n\n", limit - 2);
        if (paragraph >= floor) {
            return paragraph + 2;
        }
        for (int i = limit - 1; i >= floor; i--) {
            char c = window.charAt(i);
            if ((c == ' ' || c == '\n') && i > 0 && ".!?".indexOf(window.charAt(i - 1)) >= 0) {
                return i + 1;
            }
        }
        for (int i = limit - 1; i >= floor; i--) {
            if (Character.isWhitespace(window.charAt(i))) {
                return i + 1;
            }
        }
        return limit;
    }

    private void emit(String text, List<TextChunk> chunks) {
        String trimmed = text.strip();
        if (!trimmed.isEmpty()) {
            chunks.add(new TextChunk(index++, trimmed));
        }
    }
}
