package io.docqa.web.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI description of the service, written by hand in {@code openapi/docqa.yaml} (the routes are functional,
 * so nothing could be generated from annotations), read once at startup and served as JSON.
 */
@Component
class ApiDescription {

    static final String LOCATION = "openapi/docqa.yaml";

    private final byte[] json;

    ApiDescription(JsonMapper mapper) {
        this.json = mapper.writeValueAsBytes(read());
    }

    byte[] json() {
        return json;
    }

    private static Object read() {
        try (InputStream in = new ClassPathResource(LOCATION).getInputStream()) {
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + LOCATION, e);
        }
    }
}
