package io.docqa.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** A token's line, made from the completion's template, is the line Jackson makes of the token's chunk. */
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
}
