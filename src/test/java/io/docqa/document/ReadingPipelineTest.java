package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The pieces together, as ingestion uses them: bytes -> (meter) -> text -> chunks. */
class ReadingPipelineTest {

    private final TrackedBuffers buffers = new TrackedBuffers();
    private final DocumentParser parser = new DocumentParser(1, 8);

    @AfterEach
    void stop() {
        parser.destroy();
    }

    @Test
    void aLargeUploadIsReadOnlyAsFastAsChunksAreTaken() throws Exception {
        byte[] paragraph = ("Größere Dateien fließen in Stücken; ein Zeichen wie € oder 😀 darf zerbrechen. "
                + "Every sentence here is the same, which is fine for counting.\n\n").getBytes(StandardCharsets.UTF_8);
        int paragraphs = 40_000;
        AtomicInteger produced = new AtomicInteger();
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        Flux<DataBuffer> upload = Flux.range(0, paragraphs / 50).map(i -> {
            produced.incrementAndGet();
            byte[] bytes = new byte[paragraph.length * 50];
            for (int p = 0; p < 50; p++) {
                System.arraycopy(paragraph, 0, bytes, p * paragraph.length, paragraph.length);
            }
            expected.update(bytes);
            return buffers.of(bytes);
        });
        ByteStreamMeter meter = new ByteStreamMeter(100L * 1024 * 1024);
        Flux<TextChunk> chunks = TextChunker.chunk(Utf8Decoder.decode(meter.meter(upload)).map(TextPiece::of),
                ChunkingProperties.defaults());
        chunks.as(flux -> StepVerifier.create(flux, 3))
                .expectNextCount(3)
                .then(() -> assertThat(produced.get()).as("buffers read for three chunks").isLessThanOrEqualTo(2))
                .thenRequest(Long.MAX_VALUE)
                .thenConsumeWhile(chunk -> chunk.text().length() <= 800)
                .verifyComplete();
        assertThat(produced).hasValue(paragraphs / 50);
        assertThat(meter.bytesRead()).isEqualTo((long) paragraph.length * paragraphs);
        assertThat(meter.sha256()).isEqualTo(HexFormat.of().formatHex(expected.digest()));
        assertThat(buffers.unreleased()).isZero();
    }

    @Test
    void aPdfUploadBecomesChunksAndLeavesNoFile() {
        byte[] pdf = SampleFiles.pdf(List.of(List.of("Llamas live in the Andes."), List.of("They hum when they are content.")));
        List<DataBuffer> pieces = buffers.split(pdf, 5, 100, pdf.length / 2);
        assertThat(ContentSniffer.sniff("llamas.pdf", null, java.util.Arrays.copyOf(pdf, 512))).isEqualTo(DocumentKind.PDF);
        TextChunker.chunk(Spool.spooled(Flux.fromIterable(pieces), file -> parser.parse(file, DocumentKind.PDF)),
                        ChunkingProperties.defaults())
                .as(StepVerifier::create)
                .assertNext(chunk -> assertThat(chunk).isEqualTo(new TextChunk(0, null,
                        "Llamas live in the Andes.\n\nThey hum when they are content.")))
                .verifyComplete();
        assertThat(buffers.unreleased()).isZero();
    }
}
