package io.docqa.support;

import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** The operator's side of a service under test: quota overrides with {@link ServiceProperties#OPERATOR_TOKEN}. */
public final class Operator {

    private final WebTestClient http;

    public Operator(WebTestClient http) {
        this.http = http;
    }

    /** Sets the tenant's limit of {@code quota} ({@code -1}: unlimited); answers the operator's view of its quotas. */
    public JsonNode setQuota(UUID tenant, String quota, long limit) {
        return http.put().uri("/operator/v1/tenants/{tenant}/quotas/{quota}", tenant, quota)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ServiceProperties.OPERATOR_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("limit", limit))
                .exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }
}
