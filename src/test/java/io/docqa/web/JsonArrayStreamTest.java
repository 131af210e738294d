package io.docqa.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class JsonArrayStreamTest {

    private final JsonMapper mapper = JsonMapper.builder().build();
    private final JsonArrayStream stream = new JsonArrayStream(mapper);

    record Item(int index, String text) {
    }

    @Test
    void noElementsMakeAnEmptyArray() {
        assertThat(written(Flux.empty())).isEqualTo("{\"items\":[]}");
    }

    @Test
    void elementsAcrossManyBuffersMakeOneValidArrayInOrder() {
        List<Item> items = IntStream.range(0, 200).mapToObj(i -> new Item(i, "text \"" + i + "\"\n\u00e9")).toList();
        JsonNode written = mapper.readTree(written(Flux.fromIterable(items)));
        assertThat(written.get("items").size()).isEqualTo(200);
        for (int i = 0; i < 200; i++) {
            assertThat(mapper.treeToValue(written.get("items").get(i), Item.class)).isEqualTo(items.get(i));
        }
    }

    @Test
    void elementsAreWrittenBeforeTheSourceEnds() {
        Flux<Item> neverEnding = Flux.range(0, 70).map(i -> new Item(i, "x")).concatWith(Flux.never());
        stream.inObject("items", neverEnding)
                .map(buffer -> {
                    String text = buffer.toString(StandardCharsets.UTF_8);
                    DataBufferUtils.release(buffer);
                    return text;
                })
                .as(StepVerifier::create)
                .assertNext(first -> assertThat(first).startsWith("{\"items\":[{\"index\":0,").endsWith("}"))
                .thenCancel()
                .verify(java.time.Duration.ofSeconds(5));
    }

    private String written(Flux<?> elements) {
        return stream.inObject("items", elements)
                .map(buffer -> {
                    String text = buffer.toString(StandardCharsets.UTF_8);
                    DataBufferUtils.release(buffer);
                    return text;
                })
                .reduce("", String::concat)
                .block();
    }
}
