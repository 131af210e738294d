package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class Utf8DecoderTest {

    private static final String TEXT = "aé€😀b";
    private final TrackedBuffers buffers = new TrackedBuffers();

    @Test
    void aCharacterSplitAtAnyByteSurvives() {
        byte[] bytes = TEXT.getBytes(StandardCharsets.UTF_8);
        assertThat(bytes).hasSize(11);
        for (int cut = 0; cut <= bytes.length; cut++) {
            assertThat(decoded(buffers.split(bytes, cut))).as("cut at %d", cut).isEqualTo(TEXT);
            for (int second = cut; second <= bytes.length; second++) {
                assertThat(decoded(buffers.split(bytes, cut, second))).as("cuts at %d and %d", cut, second).isEqualTo(TEXT);
            }
        }
        assertThat(decoded(buffers.eachByte(bytes))).isEqualTo(TEXT);
        assertThat(buffers.unreleased()).isZero();
    }

    @Test
    void aLongTextInOddPiecesComesOutWhole() {
        String text = (TEXT + " Grüße, 東京, ∑ ").repeat(2_000);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<DataBuffer> pieces = new ArrayList<>();
        for (int from = 0, size = 1; from < bytes.length; from += size, size = size % 13 + 1) {
            pieces.add(buffers.of(bytes, from, Math.min(bytes.length, from + size)));
        }
        assertThat(decoded(pieces)).isEqualTo(text);
        assertThat(buffers.unreleased()).isZero();
    }

    @Test
    void aByteOrderMarkIsDroppedEvenWhenSplit() {
        byte[] bytes = ("\uFEFF" + TEXT).getBytes(StandardCharsets.UTF_8);
        assertThat(decoded(buffers.split(bytes, 1, 2))).isEqualTo(TEXT);
        assertThat(decoded(buffers.split(bytes, 3))).isEqualTo(TEXT);
        assertThat(decoded(List.of(buffers.of("x\uFEFFy".getBytes(StandardCharsets.UTF_8))))).as("only a leading one").isEqualTo("x\uFEFFy");
    }

    @Test
    void invalidUtf8FailsWithItsPositionAndReleasesEverything() {
        byte[] bytes = { 'o', 'k', ' ', (byte) 0xC3, 0x28, 'x', 'y' };
        Utf8Decoder.decode(Flux.fromIterable(buffers.split(bytes, 2, 4, 5, 6)))
                .as(StepVerifier::create)
                .expectNext("ok", " ")
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(UnreadableContentException.class)
                        .hasMessageContaining("not valid UTF-8").hasMessageContaining("byte 3"))
                .verify();
        assertThat(buffers.unreleased()).isZero();
    }

    @Test
    void otherInvalidSequencesFailToo() {
        byte[][] invalid = { { (byte) 0xFF }, { (byte) 0xC0, (byte) 0x80 }, { (byte) 0xED, (byte) 0xA0, (byte) 0x80 },
                { (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80 }, { (byte) 0x80 } };
        for (byte[] bytes : invalid) {
            Utf8Decoder.decode(Flux.fromIterable(buffers.eachByte(bytes)))
                    .as(StepVerifier::create)
                    .expectError(UnreadableContentException.class)
                    .verify();
        }
        assertThat(buffers.unreleased()).isZero();
    }

    @Test
    void aTextEndingInsideACharacterFails() {
        byte[] euro = "a€".getBytes(StandardCharsets.UTF_8);
        Utf8Decoder.decode(Flux.fromIterable(buffers.split(java.util.Arrays.copyOf(euro, 3), 1)))
                .as(StepVerifier::create)
                .expectNext("a")
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(UnreadableContentException.class)
                        .hasMessageContaining("ends in the middle of a character"))
                .verify();
    }

    @Test
    void nulBytesAreBinaryNotText() {
        byte[] bytes = "looks like text\0\0\0".getBytes(StandardCharsets.UTF_8);
        Utf8Decoder.decode(Flux.fromIterable(buffers.split(bytes, 4)))
                .as(StepVerifier::create)
                .expectNext("look")
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(UnreadableContentException.class)
                        .hasMessageContaining("binary"))
                .verify();
        assertThat(buffers.unreleased()).isZero();
    }

    @Test
    void cancellingReleasesTheBuffersNotYetDecoded() {
        byte[] bytes = "one two three four five six".getBytes(StandardCharsets.UTF_8);
        Utf8Decoder.decode(Flux.fromIterable(buffers.eachByte(bytes)).limitRate(8))
                .as(StepVerifier::create)
                .expectNext("o", "n")
                .thenCancel()
                .verify();
        assertThat(buffers.made()).isEqualTo(bytes.length);
        assertThat(buffers.unreleased()).isZero();
    }

    @Test
    void anErrorUpstreamReleasesTheBuffersSeen() {
        Utf8Decoder.decode(Flux.fromIterable(buffers.eachByte("abc".getBytes(StandardCharsets.UTF_8)))
                        .concatWith(Flux.error(new IllegalStateException("connection reset"))))
                .as(StepVerifier::create)
                .expectNext("a", "b", "c")
                .expectErrorMessage("connection reset")
                .verify();
        assertThat(buffers.unreleased()).isZero();
    }

    @Test
    void anEmptyStreamIsEmptyText() {
        Utf8Decoder.decode(Flux.empty()).as(StepVerifier::create).verifyComplete();
    }

    private static String decoded(List<DataBuffer> pieces) {
        StringBuilder text = new StringBuilder();
        Utf8Decoder.decode(Flux.fromIterable(pieces)).as(StepVerifier::create)
                .thenConsumeWhile(piece -> text.append(piece) != null)
                .verifyComplete();
        return text.toString();
    }
}
