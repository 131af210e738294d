package io.docqa.web;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;

/** Framework errors come out in the one problem+json shape too, and bad input never gives a 5xx. */
class ErrorModelTest extends IntegrationTest {

    @Test
    void unknownRouteIsAProblem404() {
        Account account = api.signup("Errors");
        http.get().uri("/api/v1/no-such-thing").header(HttpHeaders.AUTHORIZATION, account.bearer()).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:docqa:problem:not_found")
                .jsonPath("$.title").isEqualTo("Not Found")
                .jsonPath("$.status").isEqualTo(404)
                .jsonPath("$.detail").isNotEmpty()
                .jsonPath("$.instance").isEqualTo("/api/v1/no-such-thing")
                .jsonPath("$.code").isEqualTo("not_found");
        http.get().uri("/definitely/not/here").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void wrongMethodIsA405WithAllow() {
        http.get().uri("/api/v1/auth/login").exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().valueEquals(HttpHeaders.ALLOW, "POST")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("method_not_allowed");
    }

    @Test
    void wrongContentTypeIsA415() {
        http.post().uri("/api/v1/auth/login").contentType(MediaType.TEXT_PLAIN).bodyValue("email=x")
                .exchange()
                .expectStatus().isEqualTo(415)
                .expectBody().jsonPath("$.code").isEqualTo("unsupported_media_type");
    }

    @Test
    void malformedJsonIsA400() {
        http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"email\": ")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("malformed_request");
        http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON).bodyValue("[1,2]")
                .exchange()
                .expectStatus().isBadRequest();
        http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .exchange()
                .expectStatus().isBadRequest();
    }

    @Test
    void oversizedJsonIsA413() {
        String huge = "{\"email\":\"" + "x".repeat(2 * 1024 * 1024) + "\",\"password\":\"p\"}";
        http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON).bodyValue(huge)
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("payload_too_large");
    }

    @Test
    void problemsLeakNoInternals() {
        http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"email\": [}")
                .exchange()
                .expectBody(String.class)
                .value(body -> org.assertj.core.api.Assertions.assertThat(body)
                        .doesNotContain("Exception", "at io.", "jackson", "SQL", "127.0.0.1"));
    }
}
