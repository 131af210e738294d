package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The pure stages of ingestion: decoding, chunking, sniffing, metering. */
class TextPipelineTest {

    private static final DefaultDataBufferFactory BUFFERS = new DefaultDataBufferFactory();
    private static final ChunkingProperties CHUNKING = new ChunkingProperties(200, 40);

    @Test
    void aCharacterSplitAcrossBuffersSurvivesAtEveryPosition() {
        String text = "caf\u00e9 costs 5\u20ac \uD83D\uDE00 ok";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int split = 1; split < bytes.length; split++) {
            Flux<DataBuffer> buffers = Flux.just(slice(bytes, 0, split), slice(bytes, split, bytes.length)).<DataBuffer>map(BUFFERS::wrap);
            Utf8Decoder.decode(buffers).reduce(String::concat)
                    .as(StepVerifier::create)
                    .expectNext(text)
                    .verifyComplete();
        }
    }

    @Test
    void oneByteBuffersDecodeToo() {
        String text = "\u00e9\u20ac\uD83D\uDE00";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<byte[]> singles = new ArrayList<>();
        for (byte b : bytes) {
            singles.add(new byte[] { b });
        }
        Utf8Decoder.decode(Flux.fromIterable(singles).<DataBuffer>map(BUFFERS::wrap)).reduce(String::concat)
                .as(StepVerifier::create).expectNext(text).verifyComplete();
    }

    @Test
    void invalidOrTruncatedUtf8Fails() {
        Utf8Decoder.decode(Flux.<DataBuffer>just(BUFFERS.wrap(new byte[] { 'a', (byte) 0xC3, 0x28 })))
                .as(StepVerifier::create).expectError(UnreadableContentException.class).verify();
        Utf8Decoder.decode(Flux.<DataBuffer>just(BUFFERS.wrap(new byte[] { 'a', (byte) 0xE2, (byte) 0x82 })))
                .as(StepVerifier::create).expectNext("a").expectError(UnreadableContentException.class).verify();
    }

    @Test
    void aByteOrderMarkIsDropped() {
        Utf8Decoder.decode(Flux.<DataBuffer>just(BUFFERS.wrap(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'h', 'i' })))
                .as(StepVerifier::create).expectNext("hi").verifyComplete();
    }

    @Test
    void chunksPreferParagraphsThenSentencesThenWords() {
        String first = "Alpha beta gamma. ".repeat(6).strip();
        String second = "Delta epsilon zeta. ".repeat(6).strip();
        List<TextChunk> chunks = chunk(Flux.just(first + "\n\n" + second));
        assertThat(chunks).extracting(TextChunk::index).containsExactly(0, 1);
        assertThat(chunks.get(0).text()).isEqualTo(first);
        assertThat(chunks.get(1).text()).endsWith(second);

        String sentences = "This sentence has several words in it. ".repeat(12);
        List<TextChunk> bySentence = chunk(Flux.just(sentences));
        assertThat(bySentence).hasSizeGreaterThan(1);
        assertThat(bySentence.subList(0, bySentence.size() - 1)).allSatisfy(c -> assertThat(c.text()).endsWith("."));

        String words = "word ".repeat(200);
        assertThat(chunk(Flux.just(words))).isNotEmpty()
                .allSatisfy(c -> assertThat(c.text()).doesNotContain("wo rd").matches("(word ?)+"));
    }

    @Test
    void chunksRespectTheSizeOverlapAndStartAtWords() {
        String text = generated(5_000);
        List<TextChunk> chunks = chunk(Flux.just(text));
        assertThat(chunks).allSatisfy(c -> assertThat(c.text().length()).isLessThanOrEqualTo(200));
        assertThat(chunks).extracting(TextChunk::index).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, chunks.size()).boxed().toList());
        for (int i = 1; i < chunks.size(); i++) {
            String previous = chunks.get(i - 1).text();
            String next = chunks.get(i).text();
            String head = next.substring(0, Math.min(15, next.length()));
            int at = previous.lastIndexOf(head);
            assertThat(at).as("chunk %d starts inside the end of chunk %d", i, i - 1).isGreaterThan(previous.length() - 60);
            assertThat(Character.isWhitespace(previous.charAt(at - 1))).as("chunk %d starts at a word", i).isTrue();
        }
    }

    @Test
    void theSameTextGivesTheSameChunksWhateverThePieces() {
        String text = generated(3_000);
        List<TextChunk> whole = chunk(Flux.just(text));
        List<TextChunk> single = chunk(Flux.fromArray(text.split("")));
        List<TextChunk> odd = chunk(Flux.fromIterable(pieces(text, 37)));
        assertThat(single).isEqualTo(whole);
        assertThat(odd).isEqualTo(whole);
    }

    @Test
    void aLargeStreamIsChunkedWithBackpressure() {
        String block = generated(10_000);
        Flux<String> twentyMegabytes = Flux.range(0, 2_000).map(i -> block);
        TextChunker.chunk(twentyMegabytes.map(TextPiece::of), new ChunkingProperties(800, 100))
                .as(flux -> StepVerifier.create(flux, 1))
                .expectNextCount(1)
                .thenRequest(Long.MAX_VALUE)
                .thenConsumeWhile(chunk -> chunk.text().length() <= 800)
                .verifyComplete();
    }

    @Test
    void whitespaceOnlyTextGivesNoChunks() {
        TextChunker.chunk(Flux.just("   \n\n\t  ", "\n").map(TextPiece::of), CHUNKING).as(StepVerifier::create).verifyComplete();
    }

    @Test
    void sniffingBelievesBytesNotNames() {
        assertThat(ContentSniffer.sniff("a.pdf", null, "%PDF-1.7\n".getBytes())).isEqualTo(DocumentKind.PDF);
        assertThat(ContentSniffer.sniff("a.docx", null, new byte[] { 'P', 'K', 3, 4, 0 })).isEqualTo(DocumentKind.DOCX);
        assertThat(ContentSniffer.sniff("a.MD", null, "# hi".getBytes())).isEqualTo(DocumentKind.MARKDOWN);
        assertThatThrownBy(() -> ContentSniffer.sniff("a.txt", null, new byte[] { (byte) 0x89, 'P', 'N', 'G' }))
                .isInstanceOf(UnsupportedDocumentException.class);
        assertThatThrownBy(() -> ContentSniffer.sniff("a.docx", null, "%PDF-1.7".getBytes()))
                .isInstanceOf(UnsupportedDocumentException.class);
        assertThatThrownBy(() -> ContentSniffer.sniff("a.exe", null, "MZ".getBytes()))
                .isInstanceOf(UnsupportedDocumentException.class);
        assertThatThrownBy(() -> ContentSniffer.sniff("a.txt", null, new byte[] { 'a', 0, 'b' }))
                .isInstanceOf(UnsupportedDocumentException.class);
    }

    @Test
    void fileNamesLoseTheirPathsAndControlCharacters() {
        assertThat(ContentSniffer.safeFilename("../../etc/passwd.txt")).isEqualTo("passwd.txt");
        assertThat(ContentSniffer.safeFilename("C:\\Users\\me\\notes.md")).isEqualTo("notes.md");
        assertThat(ContentSniffer.safeFilename("a\u0000b\nc.txt")).isEqualTo("abc.txt");
        assertThat(ContentSniffer.safeFilename("")).isEqualTo("unnamed");
        assertThat(ContentSniffer.safeFilename("x".repeat(400) + ".txt")).hasSize(255).endsWith(".txt");
    }

    @Test
    void theMeterStopsAtTheLimitWithoutReadingFurther() {
        ByteStreamMeter meter = new ByteStreamMeter(10);
        List<Long> requested = new ArrayList<>();
        Flux<DataBuffer> source = Flux.range(0, 100).<DataBuffer>map(i -> BUFFERS.wrap(new byte[] { 1, 2, 3, 4 }))
                .doOnRequest(requested::add);
        meter.meter(source).as(flux -> StepVerifier.create(flux, 1))
                .expectNextCount(1)
                .thenRequest(1).expectNextCount(1)
                .thenRequest(1).expectError(TooLargeException.class)
                .verify();
        assertThat(requested.stream().mapToLong(Long::longValue).sum()).isLessThanOrEqualTo(3);
    }

    @Test
    void theMeterHashesWhatPassed() {
        ByteStreamMeter meter = new ByteStreamMeter(100);
        meter.meter(Flux.just("ab", "c").<DataBuffer>map(s -> BUFFERS.wrap(s.getBytes()))).then()
                .as(StepVerifier::create).verifyComplete();
        assertThat(meter.bytesRead()).isEqualTo(3);
        assertThat(meter.sha256()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    private static List<TextChunk> chunk(Flux<String> text) {
        return TextChunker.chunk(text.map(TextPiece::of), CHUNKING).collectList().block();
    }

    private static String generated(int length) {
        String[] words = { "river", "stone", "lantern", "quiet", "harbour", "signal", "meadow", "copper", "window", "engine" };
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (text.length() < length) {
            text.append(words[(i * 7 + i / 3) % words.length]);
            i++;
            text.append(i % 11 == 0 ? ". " : " ");
            if (i % 90 == 0) {
                text.append("\n\n");
            }
        }
        return text.toString();
    }

    private static List<String> pieces(String text, int size) {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < text.length(); i += size) {
            pieces.add(text.substring(i, Math.min(text.length(), i + size)));
        }
        return pieces;
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        return java.util.Arrays.copyOfRange(bytes, from, to);
    }
}
