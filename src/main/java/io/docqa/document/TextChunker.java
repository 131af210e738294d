package io.docqa.document;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import reactor.core.publisher.Flux;

/**
 * Cuts a stream of text into overlapping chunks while holding no more than one chunk's worth of it. A chunk ends, in
 * order of preference, at a paragraph break, at the end of a sentence, between words, and only as a last resort
 * inside a word; paragraph and sentence ends count only in the second half of the window, so chunks stay near full
 * size. The next chunk repeats up to {@code overlap} characters before the cut, starting at a sentence or a word. Whitespace is
 * normalised: a run with two or more line breaks becomes a paragraph break, one line break stays, anything else is
 * one space; other control characters are dropped. The result does not depend on how the input is split into pieces.
 * <p>
 * Each chunk carries the section (heading path) of its first character that was not part of the chunk before. A new
 * section ends the current chunk when the window already holds at least a quarter of a chunk of new text; then the
 * next chunk starts at the new section, without overlap. A smaller section is merged into the chunk that follows.
 * A change of section is a paragraph break.
 */
final class TextChunker {

    private static final int SLICE = 8192;
    private static final String CLOSERS = "\"')]}\u2019\u201D\u00BB";

    private final int size;
    private final int overlap;
    private final StringBuilder window;
    /** How many characters at the start of the window were already part of the previous chunk. */
    private int carried;
    private int index;
    private boolean pendingSpace;
    private int pendingNewlines;
    private boolean afterCarriageReturn;
    /** The section of the text being fed. */
    private String section;
    /** Where sections start in the window, in order, the first at 0: at most one per character of the window. */
    private final List<SectionStart> starts = new ArrayList<>();

    TextChunker(ChunkingProperties properties) {
        this.size = properties.size();
        this.overlap = Math.min(properties.overlap(), properties.size() - 3);
        this.window = new StringBuilder(size + 3);
    }

    static Flux<TextChunk> chunk(Flux<TextPiece> text, ChunkingProperties properties) {
        return Flux.defer(() -> {
            TextChunker chunker = new TextChunker(properties);
            return text.concatMapIterable(TextChunker::slices, 1)
                    .concatMapIterable(chunker::feed, 1)
                    .concatWith(Flux.defer(() -> Flux.fromIterable(chunker.finish())));
        });
    }

    /** Long pieces are fed in slices so that the chunks made from one step stay few. */
    private static List<TextPiece> slices(TextPiece piece) {
        String text = piece.text();
        if (text.length() <= SLICE) {
            return List.of(piece);
        }
        List<TextPiece> slices = new ArrayList<>(text.length() / SLICE + 1);
        for (int start = 0; start < text.length(); start += SLICE) {
            slices.add(new TextPiece(piece.section(), text.substring(start, Math.min(text.length(), start + SLICE))));
        }
        return slices;
    }

    List<TextChunk> feed(TextPiece piece) {
        section = piece.section();
        String text = piece.text();
        List<TextChunk> chunks = new ArrayList<>(2);
        for (int i = 0; i < text.length(); i++) {
            accept(text.charAt(i), chunks);
        }
        return chunks;
    }

    List<TextChunk> feed(String text) {
        return feed(TextPiece.of(text));
    }

    List<TextChunk> finish() {
        List<TextChunk> chunks = new ArrayList<>(1);
        if (!isBlankFrom(carried)) {
            chunks.add(new TextChunk(index++, sectionAt(firstFresh()), window.toString().strip()));
        }
        window.setLength(0);
        carried = 0;
        starts.clear();
        return chunks;
    }

    /** The characters held right now: at most size between two calls, whatever the input. */
    int bufferedChars() {
        return window.length();
    }

    private void accept(char c, List<TextChunk> chunks) {
        if (c == '\n' && afterCarriageReturn) {
            afterCarriageReturn = false;
            return;
        }
        afterCarriageReturn = c == '\r';
        if (c == '\n' || c == '\r' || c == '\u2028' || c == '\u0085' || c == '\u000B') {
            pendingSpace = true;
            pendingNewlines++;
        }
        else if (c == '\u2029' || c == '\f') {
            pendingSpace = true;
            pendingNewlines += 2;
        }
        else if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
            pendingSpace = true;
        }
        else if (!Character.isISOControl(c)) {
            boolean newSection = starts.isEmpty() || !Objects.equals(section, starts.get(starts.size() - 1).section());
            if (newSection) {
                endChunkBefore(chunks);
                pendingSpace = true;
                pendingNewlines = Math.max(2, pendingNewlines);
            }
            if (pendingSpace && window.length() > 0) {
                window.append(pendingNewlines >= 2 ? "\n\n" : pendingNewlines == 1 ? "\n" : " ");
            }
            pendingSpace = false;
            pendingNewlines = 0;
            if (newSection) {
                markSection();
            }
            window.append(c);
            while (window.length() > size) {
                chunks.add(cut());
            }
        }
    }

    /** Before a new section: ends the chunk if the window holds enough new text. */
    private void endChunkBefore(List<TextChunk> chunks) {
        if (window.length() - carried >= size / 4) {
            chunks.add(new TextChunk(index++, sectionAt(firstFresh()), window.toString().strip()));
            window.setLength(0);
            carried = 0;
            starts.clear();
        }
    }

    /** The character about to be appended starts the current section. */
    private void markSection() {
        int at = window.length();
        if (!starts.isEmpty() && starts.get(starts.size() - 1).at() == at) {
            starts.remove(starts.size() - 1);
        }
        starts.add(new SectionStart(at, section));
    }

    private int firstFresh() {
        int fresh = carried;
        while (fresh < window.length() && isSpace(window.charAt(fresh))) {
            fresh++;
        }
        return fresh;
    }

    private String sectionAt(int position) {
        String found = null;
        for (SectionStart start : starts) {
            if (start.at() > position) {
                break;
            }
            found = start.section();
        }
        return found;
    }

    /** Forgets the first {@code removed} characters of the window in the section starts. */
    private void shiftStarts(int removed) {
        int keepFrom = 0;
        for (int i = 0; i < starts.size(); i++) {
            SectionStart start = starts.get(i);
            starts.set(i, new SectionStart(start.at() - removed, start.section()));
            if (start.at() - removed <= 0) {
                keepFrom = i;
            }
        }
        starts.subList(0, keepFrom).clear();
        starts.set(0, new SectionStart(0, starts.get(0).section()));
    }

    private TextChunk cut() {
        int fresh = firstFresh();
        int minCut = fresh + 1;
        int half = Math.max(minCut, size / 2);
        int end = paragraphEnd(half);
        if (end < 0) {
            end = sentenceEnd(half);
        }
        if (end < 0) {
            end = lastSpace(minCut);
        }
        if (end < 0) {
            end = Character.isHighSurrogate(window.charAt(size - 1)) ? Math.max(minCut, size - 1) : size;
        }
        TextChunk chunk = new TextChunk(index++, sectionAt(fresh), window.substring(0, end).strip());
        int next = nextStart(end);
        window.delete(0, next);
        int blank = 0;
        while (blank < window.length() && isSpace(window.charAt(blank))) {
            blank++;
        }
        window.delete(0, blank);
        shiftStarts(next + blank);
        carried = Math.max(0, end - next - blank);
        return chunk;
    }

    private int paragraphEnd(int from) {
        for (int i = Math.min(size, window.length() - 2); i >= from; i--) {
            if (window.charAt(i) == '\n' && window.charAt(i + 1) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private int sentenceEnd(int from) {
        for (int i = size; i >= from; i--) {
            if (isSpace(window.charAt(i))) {
                int k = i - 1;
                while (k > 0 && CLOSERS.indexOf(window.charAt(k)) >= 0) {
                    k--;
                }
                if (isSentenceEnd(window.charAt(k))) {
                    return i;
                }
            }
        }
        return -1;
    }

    private int lastSpace(int from) {
        for (int i = size; i >= from; i--) {
            if (isSpace(window.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Where the next chunk starts: the first sentence that starts within the overlap before the cut while keeping at
     * least half of it, else the first word that does, else the cut itself.
     */
    private int nextStart(int end) {
        int from = Math.max(1, end - overlap);
        for (int i = from; i <= end - overlap / 2 && i < end; i++) {
            if (isWordStart(i) && isSentenceStart(i)) {
                return i;
            }
        }
        for (int i = from; i < end; i++) {
            if (isWordStart(i)) {
                return i;
            }
        }
        return end;
    }

    private boolean isWordStart(int i) {
        return !isSpace(window.charAt(i)) && isSpace(window.charAt(i - 1));
    }

    private boolean isSentenceStart(int i) {
        if (window.charAt(i - 1) == '\n') {
            return true;
        }
        int k = i - 2;
        while (k > 0 && CLOSERS.indexOf(window.charAt(k)) >= 0) {
            k--;
        }
        return k >= 0 && isSentenceEnd(window.charAt(k));
    }

    private static boolean isSentenceEnd(char c) {
        return c == '.' || c == '!' || c == '?' || c == '\u2026';
    }

    private boolean isBlankFrom(int from) {
        for (int i = from; i < window.length(); i++) {
            if (!isSpace(window.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\n';
    }

    private record SectionStart(int at, String section) {
    }
}
