package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class TextChunkerTest {

    private static final ChunkingProperties DEFAULTS = ChunkingProperties.defaults();

    @Test
    void shortTextIsOneNormalisedChunk() {
        assertThat(texts(List.of("  Hello,\t\t world. \r\n Second   line.\r\n\r\n\r\n  Next\u00A0paragraph.\u0007 \n\n"), DEFAULTS))
                .containsExactly("Hello, world.\nSecond line.\n\nNext paragraph.");
    }

    @Test
    void nothingButWhitespaceIsNoChunkAtAll() {
        TextChunker.chunk(Flux.just("  ", "\n\n\t", "").map(TextPiece::of), DEFAULTS).as(StepVerifier::create).verifyComplete();
        TextChunker.chunk(Flux.<TextPiece>empty(), DEFAULTS).as(StepVerifier::create).verifyComplete();
    }

    @Test
    void aParagraphBreakIsPreferredOverASentenceEnd() {
        String first = sentences("Alpha", 6);
        String second = sentences("Beta", 6);
        List<String> chunks = texts(List.of(first + "\n\n" + second), new ChunkingProperties(400, 0));
        assertThat(first.length()).isBetween(200, 400);
        assertThat(chunks.get(0)).isEqualTo(first);
        assertThat(chunks.get(1)).startsWith("Beta 0");
    }

    @Test
    void aSentenceEndIsPreferredOverAWordBoundary() {
        String text = sentences("Gamma", 20);
        List<String> chunks = texts(List.of(text), new ChunkingProperties(300, 0));
        assertThat(chunks).hasSizeGreaterThan(2);
        chunks.forEach(chunk -> assertThat(chunk).hasSizeLessThanOrEqualTo(300).startsWith("Gamma").endsWith("."));
    }

    @Test
    void aWordBoundaryIsPreferredOverCuttingAWord() {
        String text = IntStream.range(0, 400).mapToObj(i -> "word" + i).reduce((a, b) -> a + " " + b).orElseThrow();
        List<String> chunks = texts(List.of(text), new ChunkingProperties(100, 0));
        assertThat(String.join(" ", chunks)).isEqualTo(text);
        chunks.forEach(chunk -> assertThat(chunk).hasSizeLessThanOrEqualTo(100).matches("word\\d+( word\\d+)*"));
    }

    @Test
    void aGiantWordIsCutAsALastResortWithoutSplittingACharacter() {
        String blob = "x".repeat(250) + "😀".repeat(100);
        List<String> chunks = texts(List.of("short " + blob + " tail"), new ChunkingProperties(100, 20));
        assertThat(chunks.get(0)).isEqualTo("short");
        assertThat(String.join("", chunks.subList(1, chunks.size())).replace(" tail", "")).isEqualTo(blob);
        chunks.forEach(chunk -> {
            assertThat(chunk).hasSizeLessThanOrEqualTo(100);
            assertThat(Character.isHighSurrogate(chunk.charAt(chunk.length() - 1))).isFalse();
            assertThat(Character.isLowSurrogate(chunk.charAt(0))).isFalse();
        });
    }

    @Test
    void consecutiveChunksOverlapStartingAtAWord() {
        String text = prose(300);
        List<String> chunks = texts(List.of(text), DEFAULTS);
        assertThat(chunks).hasSizeGreaterThan(20);
        for (int i = 1; i < chunks.size(); i++) {
            String previous = chunks.get(i - 1);
            String current = chunks.get(i);
            int overlap = overlap(previous, current);
            assertThat(overlap).as("overlap of chunk %d", i).isBetween(50, 100);
            int start = previous.length() - overlap;
            assertThat(Character.isWhitespace(previous.charAt(start - 1))).as("chunk %d starts at a word", i).isTrue();
            assertThat(Character.isWhitespace(current.charAt(0))).isFalse();
        }
    }

    @Test
    void chunksRespectTheSizeAndAreNumberedInOrder() {
        List<TextChunk> chunks = chunks(List.of(prose(500)), DEFAULTS);
        assertThat(chunks).extracting(TextChunk::index).containsExactlyElementsOf(IntStream.range(0, chunks.size()).boxed().toList());
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.text()).hasSizeLessThanOrEqualTo(800).isNotBlank()
                .doesNotStartWith(" ").doesNotEndWith(" ").doesNotContain("  ", "\n\n\n"));
        assertThat(chunks).filteredOn(chunk -> chunk.text().length() >= 600).hasSizeGreaterThan(chunks.size() * 3 / 4);
    }

    @Test
    void theSameChunksWhateverTheInputPieces() {
        String text = prose(120) + "\r\n\r\n" + "x".repeat(2000) + "\n \n" + sentences("Omega", 30);
        List<TextChunk> whole = chunks(List.of(text), DEFAULTS);
        assertThat(chunks(text.chars().mapToObj(c -> String.valueOf((char) c)).toList(), DEFAULTS)).isEqualTo(whole);
        for (int size : new int[] { 2, 7, 799, 800, 801, 4096, 100_000 }) {
            List<String> pieces = new ArrayList<>();
            for (int i = 0; i < text.length(); i += size) {
                pieces.add(text.substring(i, Math.min(text.length(), i + size)));
            }
            assertThat(chunks(pieces, DEFAULTS)).as("pieces of %d", size).isEqualTo(whole);
        }
    }

    @Test
    void twentyMegabytesStreamThroughABoundedWindow() {
        int words = 4 * 1024 * 1024;
        TextChunker chunker = new TextChunker(DEFAULTS);
        long count = 0;
        int maxBuffered = 0;
        String[] vocabulary = IntStream.range(0, 1000).mapToObj(i -> "w%03d ".formatted(i)).toArray(String[]::new);
        StringBuilder piece = new StringBuilder();
        for (int w = 0; w < words; w++) {
            piece.append(vocabulary[w % 1000]);
            if (piece.length() >= 173 || w == words - 1) {
                count += chunker.feed(piece.toString()).size();
                maxBuffered = Math.max(maxBuffered, chunker.bufferedChars());
                piece.setLength(0);
            }
        }
        count += chunker.finish().size();
        // 800 characters hold 160 five-character words; each chunk starts 140 words after the one before.
        assertThat(count).isEqualTo((long) Math.ceil((words - 20) / 140.0));
        assertThat(maxBuffered).isLessThanOrEqualTo(800);
    }

    @Test
    void aHugeStreamIsChunkedLazilyWithBackpressure() {
        AtomicInteger piecesRead = new AtomicInteger();
        int pieces = 20 * 1024 * 1024 / 100;
        String[] vocabulary = IntStream.range(0, 1000).mapToObj(i -> "w%03d ".formatted(i)).toArray(String[]::new);
        Flux<String> text = Flux.range(0, pieces).map(i -> {
            StringBuilder piece = new StringBuilder(100);
            IntStream.range(0, 20).forEach(j -> piece.append(vocabulary[(i * 20 + j) % 1000]));
            return piece.toString();
        }).doOnNext(s -> piecesRead.incrementAndGet());
        TextChunker.chunk(text.map(TextPiece::of), DEFAULTS)
                .as(flux -> StepVerifier.create(flux, 1))
                .expectNextCount(1)
                .then(() -> assertThat(piecesRead.get()).as("pieces read for one chunk").isLessThan(20))
                .thenRequest(Long.MAX_VALUE)
                .expectNextCount((long) Math.ceil((pieces * 20 - 20) / 140.0) - 1)
                .verifyComplete();
        assertThat(piecesRead).hasValue(pieces);
    }

    @Test
    void theWindowNeverHoldsMoreThanAChunkWhateverThePieceSize() {
        TextChunker chunker = new TextChunker(DEFAULTS);
        List<TextChunk> chunks = chunker.feed(prose(3000));
        assertThat(chunker.bufferedChars()).isLessThanOrEqualTo(800);
        assertThat(chunks).hasSizeGreaterThan(100);
    }

    @Test
    void aChunkCarriesTheSectionOfItsFirstNewCharacter() {
        String intro = sentences("Intro", 10);
        String install = sentences("Install", 30);
        List<TextChunk> chunks = sectioned(List.of(new TextPiece(null, intro), new TextPiece("Guide > Install", install)), DEFAULTS);
        assertThat(chunks.get(0)).isEqualTo(new TextChunk(0, null, intro));
        assertThat(chunks.get(1).section()).isEqualTo("Guide > Install");
        assertThat(chunks.get(1).text()).as("a new section starts a new chunk, without overlap").startsWith("Install 0 ");
        assertThat(chunks.subList(1, chunks.size())).allSatisfy(chunk -> assertThat(chunk.section()).isEqualTo("Guide > Install"));
        assertThat(chunks.get(2).text()).as("inside a section chunks overlap as before").doesNotStartWith("Install 0 ");
    }

    @Test
    void aTinySectionMergesIntoTheNextChunkAndKeepsItsName() {
        List<TextChunk> chunks = sectioned(List.of(
                new TextPiece("A", "Heading A\n\nA short line."),
                new TextPiece("A > B", "Heading B\n\nAnother short line."),
                new TextPiece("C", sentences("Gamma", 30))), DEFAULTS);
        assertThat(chunks.get(0).section()).isEqualTo("A");
        assertThat(chunks.get(0).text()).startsWith("Heading A\n\nA short line.\n\nHeading B\n\nAnother short line.\n\nGamma 0 ");
        assertThat(chunks.subList(1, chunks.size())).extracting(TextChunk::section).containsOnly("C");
    }

    @Test
    void aChunkCutInsideAMergedSectionTakesTheSectionWhereItsNewTextStarts() {
        String first = sentences("Alpha", 3);
        String second = sentences("Beta", 40);
        List<TextChunk> chunks = sectioned(List.of(new TextPiece("One", first), new TextPiece("Two", second)), new ChunkingProperties(800, 100));
        assertThat(first.length()).isLessThan(800 / 4);
        assertThat(chunks.get(0).section()).isEqualTo("One");
        assertThat(chunks.get(0).text()).startsWith(first).contains("Beta 0 ");
        assertThat(chunks.subList(1, chunks.size())).extracting(TextChunk::section).containsOnly("Two");
    }

    @Test
    void sectionsDoNotDependOnHowTheTextIsSplit() {
        List<TextPiece> pieces = List.of(new TextPiece(null, prose(3)), new TextPiece("S1", "Title one\n\n" + prose(12)),
                new TextPiece("S1 > S2", "tiny"), new TextPiece("S3", "   \n\n"), new TextPiece("S4", sentences("Delta", 25)));
        List<TextChunk> whole = sectioned(pieces, DEFAULTS);
        List<TextPiece> split = new ArrayList<>();
        for (TextPiece piece : pieces) {
            for (int i = 0; i < piece.text().length(); i += 13) {
                split.add(new TextPiece(piece.section(), piece.text().substring(i, Math.min(piece.text().length(), i + 13))));
            }
        }
        assertThat(sectioned(split, DEFAULTS)).isEqualTo(whole);
        assertThat(whole).extracting(TextChunk::section).contains(null, "S1", "S4").doesNotContain("S3");
        assertThat(whole).allSatisfy(chunk -> assertThat(chunk.text()).hasSizeLessThanOrEqualTo(800));
    }

    @Test
    void manySectionsKeepTheStateBounded() {
        TextChunker chunker = new TextChunker(DEFAULTS);
        int maxBuffered = 0;
        List<TextChunk> chunks = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            chunks.addAll(chunker.feed(new TextPiece("S" + i, "w" + i + " ")));
            maxBuffered = Math.max(maxBuffered, chunker.bufferedChars());
        }
        chunks.addAll(chunker.finish());
        assertThat(maxBuffered).isLessThanOrEqualTo(800);
        assertThat(chunks).hasSizeGreaterThan(1000).allSatisfy(chunk -> assertThat(chunk.text()).startsWith("w"));
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.section()).isEqualTo("S" + chunk.text().split("\\s+")[0].substring(1)));
    }

    @Test
    void theSectionIsEmbeddedWithTheTextOnlyWhenSetTo() {
        TextChunk chunk = new TextChunk(3, "Guide > Install", "Run the installer.");
        assertThat(DEFAULTS.sectionInEmbedding()).isFalse();
        assertThat(DEFAULTS.embedded(chunk)).isEqualTo("Run the installer.");
        ChunkingProperties withSection = new ChunkingProperties(800, 100, true);
        assertThat(withSection.embedded(chunk)).isEqualTo("Guide > Install\n\nRun the installer.");
        assertThat(withSection.embedded(new TextChunk(0, null, "No heading."))).isEqualTo("No heading.");
    }

    @Test
    void theConfigurationIsChecked() {
        assertThat(DEFAULTS).isEqualTo(new ChunkingProperties(800, 100));
        assertThatThrownBy(() -> new ChunkingProperties(800, 800)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlap");
        assertThatThrownBy(() -> new ChunkingProperties(800, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkingProperties(5, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size");
        assertThat(texts(List.of(prose(50)), new ChunkingProperties(10, 9))).allSatisfy(chunk -> assertThat(chunk).hasSizeLessThanOrEqualTo(10));
    }

    private static int overlap(String previous, String current) {
        for (int length = Math.min(previous.length(), current.length()); length > 0; length--) {
            if (previous.endsWith(current.substring(0, length))) {
                return length;
            }
        }
        return 0;
    }

    static String sentences(String word, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "" : " ").append(word).append(' ').append(i).append(" is a sentence of some length, as sentences go.");
        }
        return text.toString();
    }

    static String prose(int paragraphs) {
        StringBuilder text = new StringBuilder();
        for (int p = 0; p < paragraphs; p++) {
            int sentences = 1 + (p * 7) % 9;
            for (int s = 0; s < sentences; s++) {
                text.append("Paragraph ").append(p).append(" sentence ").append(s).append(" talks about topic ")
                        .append((p * 31 + s) % 17).append(" and then some more words follow").append(s % 3 == 0 ? "! " : ". ");
            }
            text.append(p % 4 == 0 ? "\n\n" : "\n");
        }
        return text.toString();
    }

    private static List<TextChunk> chunks(List<String> pieces, ChunkingProperties properties) {
        List<TextChunk> chunks = new ArrayList<>();
        TextChunker.chunk(Flux.fromIterable(pieces).map(TextPiece::of), properties).as(StepVerifier::create)
                .thenConsumeWhile(chunks::add)
                .verifyComplete();
        return chunks;
    }

    private static List<TextChunk> sectioned(List<TextPiece> pieces, ChunkingProperties properties) {
        List<TextChunk> chunks = new ArrayList<>();
        TextChunker.chunk(Flux.fromIterable(pieces), properties).as(StepVerifier::create)
                .thenConsumeWhile(chunks::add)
                .verifyComplete();
        return chunks;
    }

    private static List<String> texts(List<String> pieces, ChunkingProperties properties) {
        return chunks(pieces, properties).stream().map(TextChunk::text).toList();
    }
}
