package io.docqa.chat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;

/** The answer streams unless the client explicitly prefers JSON: curl's {@code Accept: *}{@code /*} streams. */
class ChatNegotiationTest extends IntegrationTest {

    @Test
    void noAcceptOrAnyWildcardStreams() {
        Account account = api.signup("Negotiation");
        for (String accept : new String[] { null, "*/*", "text/*", "application/*", "text/event-stream",
                "application/json;q=0.5, text/event-stream", "text/html, */*;q=0.8" }) {
            var request = http.post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, account.bearer());
            if (accept != null) {
                request = request.header(HttpHeaders.ACCEPT, accept);
            }
            request.contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("question", "Is anything here?"))
                    .exchange()
                    .expectStatus().isOk()
                    .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                    .returnResult(String.class).getResponseBody().blockLast();
        }
    }

    @Test
    void anExplicitPreferenceForJsonGetsJson() {
        Account account = api.signup("Negotiation json");
        for (String accept : new String[] { "application/json", "application/json, */*;q=0.1",
                "text/event-stream;q=0.5, application/json" }) {
            http.post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, account.bearer()).header(HttpHeaders.ACCEPT, accept)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("question", "Is anything here?"))
                    .exchange()
                    .expectStatus().isOk()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                    .expectBody().jsonPath("$.answer").isNotEmpty();
        }
    }
}
