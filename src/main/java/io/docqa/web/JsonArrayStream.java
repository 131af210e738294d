package io.docqa.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes {@code {"<field>":[...]}} element by element as a Flux emits them, a few dozen elements per buffer, so that
 * an answer of any length takes bounded memory. Elements are serialized by the application's {@link JsonMapper}.
 */
@Component
public class JsonArrayStream {

    private static final int ELEMENTS_PER_BUFFER = 64;
    private static final byte[] COMMA = { ',' };
    private static final byte[] END = { ']', '}' };

    private final JsonMapper json;
    private final DataBufferFactory buffers = DefaultDataBufferFactory.sharedInstance;

    JsonArrayStream(JsonMapper json) {
        this.json = json;
    }

    public Flux<DataBuffer> inObject(String field, Flux<?> elements) {
        byte[] start = ("{" + json.writeValueAsString(field) + ":[").getBytes(StandardCharsets.UTF_8);
        return elements.index()
                .buffer(ELEMENTS_PER_BUFFER)
                .map(group -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    group.forEach(element -> {
                        out.writeBytes(element.getT1() == 0 ? start : COMMA);
                        out.writeBytes(json.writeValueAsBytes(element.getT2()));
                    });
                    return buffers.wrap(out.toByteArray());
                })
                .switchIfEmpty(Mono.fromSupplier(() -> buffers.wrap(start)))
                .concatWith(Mono.fromSupplier(() -> buffers.wrap(END)));
    }
}
