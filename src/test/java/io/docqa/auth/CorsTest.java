package io.docqa.auth;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;

class CorsTest extends IntegrationTest {

    @Test
    void aConfiguredOriginMayCallTheApi() {
        http.options().uri("/api/v1/documents")
                .header(HttpHeaders.ORIGIN, ALLOWED_ORIGIN)
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, ALLOWED_ORIGIN);
        Account account = api.signup("Cors");
        http.get().uri("/api/v1/me").header(HttpHeaders.ORIGIN, ALLOWED_ORIGIN).header(HttpHeaders.AUTHORIZATION, account.bearer())
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, ALLOWED_ORIGIN);
    }

    @Test
    void anyOtherOriginGetsNoCorsHeaders() {
        http.options().uri("/api/v1/documents")
                .header(HttpHeaders.ORIGIN, "https://evil.example.test")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("cors_rejected");
        Account account = api.signup("Cors other");
        http.get().uri("/api/v1/me").header(HttpHeaders.ORIGIN, "https://evil.example.test").header(HttpHeaders.AUTHORIZATION, account.bearer())
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("cors_rejected");
    }
}
