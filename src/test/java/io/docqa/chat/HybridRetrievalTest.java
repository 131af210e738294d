package io.docqa.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.BodyInserters;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import io.docqa.support.Uploads;
import tools.jackson.databind.JsonNode;

/**
 * Retrieval with the product's defaults on a small shop's documents: questions they answer get the right passages
 * and a model call, questions they do not answer get "not covered" without one, and follow-ups are searched with
 * the conversation.
 */
class HybridRetrievalTest extends IntegrationTest {

    private static final ParameterizedTypeReference<ServerSentEvent<JsonNode>> SSE = new ParameterizedTypeReference<>() { };

    @Test
    void questionsTheDocumentsAnswerGetSourcesAndOthersAreNotCoveredWithoutTheModel() {
        Account shop = shop("Shop answers");
        OLLAMA.answer("Within", " 30", " days", " [1].");

        List<ServerSentEvent<JsonNode>> covered = ask(shop, Map.of("question", "How many days do I have to return an item for a refund?"));
        assertThat(sources(covered).get(0).get("filename").asString()).isEqualTo("refunds.txt");
        assertThat(done(covered).get("finish_reason").asString()).isEqualTo("stop");
        assertThat(OLLAMA.requests()).hasSize(1);

        OLLAMA.reset();
        for (String offTopic : List.of("How do I bake sourdough bread?", "Who won the football world cup in 1998?",
                "What is the boiling point of water on Mount Everest?")) {
            List<ServerSentEvent<JsonNode>> events = ask(shop, Map.of("question", offTopic));
            assertThat(events).extracting(ServerSentEvent::event).containsExactly("conversation", "sources", "token", "done");
            assertThat(sources(events)).as(offTopic).isEmpty();
            assertThat(events.get(2).data().get("text").asString()).contains("do not cover");
            assertThat(done(events).get("finish_reason").asString()).isEqualTo("not_covered");
        }
        assertThat(OLLAMA.requests()).isEmpty();
    }

    @Test
    void anExplicitMinScoreIsTheCallersOwnDecision() {
        Account shop = shop("Shop floor");
        OLLAMA.answer("Bread", " [1].");

        List<ServerSentEvent<JsonNode>> events = ask(shop, Map.of("question", "How do I bake sourdough bread?", "min_score", 0));

        assertThat(sources(events)).isNotEmpty();
        assertThat(done(events).get("finish_reason").asString()).isEqualTo("stop");
        assertThat(OLLAMA.requests()).hasSize(1);
    }

    @Test
    void aFollowUpIsSearchedWithTheQuestionBeforeIt() {
        Account shop = shop("Shop follow-up");
        OLLAMA.answer("Ok", " [1].");
        List<ServerSentEvent<JsonNode>> first = ask(shop, Map.of("question", "What is the refund policy?"));
        assertThat(sources(first).get(0).get("filename").asString()).isEqualTo("refunds.txt");
        String conversationId = first.get(0).data().get("conversation_id").asString();

        List<ServerSentEvent<JsonNode>> followUp = ask(shop, Map.of("question", "And for digital goods?", "conversation_id", conversationId));
        List<ServerSentEvent<JsonNode>> alone = ask(shop, Map.of("question", "And for digital goods?"));

        assertThat(sources(followUp).get(0).get("filename").asString()).isEqualTo("digital-refunds.txt");
        assertThat(sources(alone).get(0).get("filename").asString())
                .as("asked alone, the question is about digital goods in general").isNotEqualTo("digital-refunds.txt");
    }

    @Test
    void everySourceHasASectionInTheStreamTheJsonAnswerAndTheConversation() {
        Account shop = shop("Shop sections");
        OLLAMA.answer("Thirty", " days", " [1].");
        List<ServerSentEvent<JsonNode>> events = ask(shop, Map.of("question", "What is the refund policy?"));
        JsonNode source = sources(events).get(0);
        assertThat(source.has("section")).isTrue();
        assertThat(source.get("section").isNull()).as("plain text has no headings").isTrue();

        OLLAMA.answer("Thirty", " days", " [1].");
        JsonNode answer = http.post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, shop.bearer())
                .accept(MediaType.APPLICATION_JSON).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("question", "What is the refund policy?"))
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(answer.get("sources").get(0).has("section")).isTrue();

        String conversationId = events.get(0).data().get("conversation_id").asString();
        JsonNode conversation = http.get().uri("/api/v1/conversations/{id}", conversationId)
                .header(HttpHeaders.AUTHORIZATION, shop.bearer()).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(conversation.get("messages").get(1).get("sources").get(0).has("section")).isTrue();
    }

    private Account shop(String name) {
        Account owner = api.signup(name);
        http.post().uri("/api/v1/documents").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .body(BodyInserters.fromMultipartData(Uploads.files(
                        Uploads.text("refunds.txt", """
                                Refund policy. Items bought in our shop can be returned within 30 days of delivery for a \
                                full refund to the original payment method. Refunds are processed within five business \
                                days once the returned item has arrived at our warehouse in good condition."""),
                        Uploads.text("digital-refunds.txt", """
                                Downloads. Digital goods such as e-books, music and software licences can be refunded \
                                within 14 days of purchase, as long as they have not been downloaded or activated."""),
                        Uploads.text("digital-delivery.txt", """
                                Digital goods are delivered instantly by email with a download link. No shipping fee \
                                applies to digital goods, and digital goods never travel by courier."""))))
                .exchange().expectStatus().isCreated();
        http.post().uri("/api/v1/documents").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .body(BodyInserters.fromMultipartData(Uploads.files(
                        Uploads.text("licensing.txt", """
                                Licensing of digital goods. Digital goods are licensed, not sold: each licence for \
                                digital goods covers one person on up to three devices."""),
                        Uploads.text("shipping.txt", """
                                Shipping. Parcels leave our warehouse within two working days and are delivered by \
                                courier. Shipping is free for orders over 50 euros; below that it costs 4.90 euros."""),
                        Uploads.text("warranty.txt", """
                                Warranty. Electronic devices carry a two-year warranty against manufacturing defects. \
                                Keep the receipt: the warranty is void when the seal on the case is broken."""))))
                .exchange().expectStatus().isCreated();
        return owner;
    }

    private List<ServerSentEvent<JsonNode>> ask(Account account, Map<String, Object> body) {
        return http.post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, account.bearer())
                .accept(MediaType.TEXT_EVENT_STREAM).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange()
                .expectStatus().isOk()
                .returnResult(SSE)
                .getResponseBody()
                .filter(event -> event.event() != null)
                .collectList().block(Duration.ofSeconds(30));
    }

    private static JsonNode sources(List<ServerSentEvent<JsonNode>> events) {
        return events.stream().filter(event -> "sources".equals(event.event())).findFirst().orElseThrow().data().get("sources");
    }

    private static JsonNode done(List<ServerSentEvent<JsonNode>> events) {
        return events.get(events.size() - 1).data();
    }
}
