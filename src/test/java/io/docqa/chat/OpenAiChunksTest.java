package io.docqa.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * A token's line, made from the completion's template, is the line Jackson makes of the token's chunk. The token's text
 * is escaped without the mapper, so the mapper's settings (here only the app's snake case) do not reach it.
 */
class OpenAiChunksTest {

    private final JsonMapper json = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    @Test
    void aTokenLineIsJacksonsLineOfItsChunk() {
        OpenAiChunks chunks = new OpenAiChunks(1_700_000_000L, true, json);
        assertThat(chunks.lines(new ChatEvent.Started(UUID.randomUUID()))).isEmpty();
        chunks.lines(new ChatEvent.Sources(List.of()));
        for (String text : List.of(" word", "", "quotes \" back\\slash / tab\t newline\n nul\u0000 é \u2028 😀 <b>&'")) {
            ChatEvent.Token token = new ChatEvent.Token(text);
            List<byte[]> lines = chunks.lines(token);
            assertThat(lines).hasSize(1);
            assertThat(new String(lines.get(0), StandardCharsets.UTF_8)).isEqualTo(chunks.line(chunks.of(token).get(0)))
                    .contains("\"content\":");
        }
    }

    /** An unpaired surrogate (a passage copied verbatim can hold one) becomes U+FFFD, as in Jackson's line of it. */
    @Test
    void anUnpairedSurrogateBecomesTheReplacementCharacter() {
        OpenAiChunks chunks = new OpenAiChunks(1_700_000_000L, false, json);
        chunks.lines(new ChatEvent.Started(UUID.randomUUID()));
        chunks.lines(new ChatEvent.Sources(List.of()));
        for (List<String> text : List.of(List.of("a\uD83D", "a\uFFFD"), List.of("\uDC00b", "\uFFFDb"))) {
            String line = new String(chunks.lines(new ChatEvent.Token(text.get(0))).get(0), StandardCharsets.UTF_8);
            assertThat(line).isEqualTo(chunks.line(chunks.of(new ChatEvent.Token(text.get(1))).get(0)));
        }
    }
}
