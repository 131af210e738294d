package io.docqa.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import io.docqa.support.ReceivedChat;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

class ChatApiTest extends IntegrationTest {

    private static final ParameterizedTypeReference<ServerSentEvent<JsonNode>> SSE = new ParameterizedTypeReference<>() { };

    @Autowired
    GenerationGate gate;

    @Test
    void eventsComeInOrderWithTokensIntact() {
        Account owner = api.signup("Chat");
        String documentId = upload(owner, "orchids.txt", "The orchid greenhouse is watered every Tuesday at seven.");
        OLLAMA.answer("The", " greenhouse", " is", " watered", " on", " Tuesday", " [1].");

        List<ServerSentEvent<JsonNode>> events = ask(owner, Map.of("question", "When is the orchid greenhouse watered?"))
                .collectList().block(Duration.ofSeconds(30));

        assertThat(events).extracting(ServerSentEvent::event)
                .containsExactly("conversation", "sources", "token", "token", "token", "token", "token", "token", "token", "done");
        assertThat(events).allSatisfy(event -> assertThat(event.id()).isNotBlank());
        assertThat(events.stream().map(ServerSentEvent::id).distinct()).hasSize(events.size());
        JsonNode sources = events.get(1).data().get("sources");
        assertThat(sources.get(0).get("document_id").asString()).isEqualTo(documentId);
        assertThat(sources.get(0).get("filename").asString()).isEqualTo("orchids.txt");
        assertThat(sources.get(0).get("chunk_index").asInt()).isZero();
        assertThat(sources.get(0).get("score").asDouble()).isBetween(0.0, 1.0);
        assertThat(sources.get(0).get("text").asString()).contains("every Tuesday");
        StringBuilder answer = new StringBuilder();
        events.subList(2, 9).forEach(event -> answer.append(event.data().get("text").asString()));
        assertThat(answer.toString()).isEqualTo("The greenhouse is watered on Tuesday [1].");
        JsonNode done = events.get(9).data();
        assertThat(done.get("finish_reason").asString()).isEqualTo("stop");
        assertThat(done.get("conversation_id").asString()).isEqualTo(events.get(0).data().get("conversation_id").asString());
        assertThat(done.get("message_id").asString()).isNotBlank();
        assertThat(done.get("usage").get("completion_tokens").asInt()).isEqualTo(7);
        // "done" follows the statement that saved the answer with its usage, and any second try of it
        assertThat(usage(owner)).containsExactly(List.of("stop", 7L, 7L));
        assertThat(db.sql("select count(*) as n from messages where tenant_id = :tenant and role = 'assistant'")
                .bind("tenant", owner.tenantId()).map(row -> row.get("n", Long.class)).one().block()).isEqualTo(1);
    }

    @Test
    void anAnswerWhoseConversationIsDeletedMeanwhileIsCountedOnceAndNotSaved() {
        Account owner = api.signup("Deleted meanwhile");
        upload(owner, "heron.txt", "The grey heron fishes in the pond at dawn.");
        OLLAMA.answer("The", " heron", " fishes", " at", " dawn", " [1].").tokenDelay(Duration.ofMillis(300));

        List<ServerSentEvent<JsonNode>> events = ask(owner, Map.of("question", "When does the heron fish?"))
                .concatMap(event -> "conversation".equals(event.event())
                        ? db.sql("delete from conversations where id = :id")
                                .bind("id", java.util.UUID.fromString(event.data().get("conversation_id").asString()))
                                .then().thenReturn(event)
                        : reactor.core.publisher.Mono.just(event))
                .collectList().block(Duration.ofSeconds(30));

        assertThat(events).extracting(ServerSentEvent::event).last().isEqualTo("error");
        assertThat(events.get(events.size() - 1).data().get("code").asString()).isEqualTo("not_found");
        // the error follows the statement that saved the usage, and any second try of it
        assertThat(usage(owner)).containsExactly(List.of("stop", 6L, 6L));
        assertThat(db.sql("select count(*) as n from messages where tenant_id = :tenant")
                .bind("tenant", owner.tenantId()).map(row -> row.get("n", Long.class)).one().block()).isZero();
    }

    /** The tenant's answers: outcome, completion tokens, and the month's completion tokens counted. */
    private List<List<Object>> usage(Account owner) {
        return db.sql("""
                        select r.outcome, r.completion_tokens, c.used from usage_records r
                        join quota_counters c on c.tenant_id = r.tenant_id and c.quota = 'monthly_completion_tokens'
                        where r.tenant_id = :tenant and r.kind = 'answer' order by r.id""")
                .bind("tenant", owner.tenantId())
                .map(row -> List.<Object>of(row.get("outcome", String.class), row.get("completion_tokens", Integer.class).longValue(),
                        row.get("used", Long.class)))
                .all().collectList().block(Duration.ofSeconds(10));
    }

    @Test
    void thePromptHoldsTheCallersPassagesAndNeverAnotherTenants() {
        Account a = api.signup("Secret A");
        Account b = api.signup("Secret B");
        upload(a, "a.txt", "The vault password of the company is zebracorn, kept by the security team.");
        upload(b, "b.txt", "The vault password of the company is mangolith, kept by the security team.");
        OLLAMA.answer("ok");

        ask(a, Map.of("question", "What is the vault password?")).blockLast(Duration.ofSeconds(30));
        String promptA = prompt(OLLAMA.lastRequest());
        ask(b, Map.of("question", "What is the vault password?")).blockLast(Duration.ofSeconds(30));
        String promptB = prompt(OLLAMA.lastRequest());

        assertThat(promptA).contains("zebracorn").doesNotContain("mangolith");
        assertThat(promptB).contains("mangolith").doesNotContain("zebracorn");
        assertThat(OLLAMA.lastRequest().messages().get(0).role()).isEqualTo("system");
        assertThat(OLLAMA.lastRequest().messages().get(0).content()).doesNotContain("mangolith");
    }

    @Test
    void nothingRelevantAnswersWithoutCallingTheModel() {
        Account owner = api.signup("Irrelevant");
        upload(owner, "bees.txt", "Bees make honey from the nectar of flowers.");
        List<ServerSentEvent<JsonNode>> events = ask(owner, Map.of("question", "How do I reset the router?", "min_score", 0.99))
                .collectList().block(Duration.ofSeconds(30));
        assertThat(events).extracting(ServerSentEvent::event).containsExactly("conversation", "sources", "token", "done");
        assertThat(events.get(1).data().get("sources").size()).isZero();
        assertThat(events.get(2).data().get("text").asString()).contains("do not cover");
        assertThat(OLLAMA.requests()).isEmpty();
    }

    @Test
    void aClientThatGoesAwayCancelsTheGenerationAndKeepsWhatWasSaid() {
        Account owner = api.signup("Cancel");
        upload(owner, "long.txt", "The long story of the lighthouse keeper and the storm.");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            tokens.add(" word" + i);
        }
        OLLAMA.answer(tokens.toArray(String[]::new)).tokenDelay(Duration.ofMillis(100));

        List<ServerSentEvent<JsonNode>> seen = ask(owner, Map.of("question", "Tell me about the lighthouse keeper"))
                .takeUntil(event -> "token".equals(event.event()) && event.data().get("text").asString().equals(" word3"))
                .collectList().block(Duration.ofSeconds(30));
        assertThat(OLLAMA.awaitClientDisconnect(Duration.ofSeconds(1))).isTrue();

        String conversationId = seen.get(0).data().get("conversation_id").asString();
        JsonNode conversation = awaitMessages(owner, conversationId, 2);
        JsonNode answer = conversation.get("messages").get(1);
        assertThat(answer.get("role").asString()).isEqualTo("assistant");
        assertThat(answer.get("content").asString()).startsWith(" word0 word1 word2 word3");
        // metered once, with what was streamed, and the rest of the month's reservation given back
        await().atMost(Duration.ofSeconds(10)).until(() -> !usage(owner).isEmpty());
        // a follow-up that runs to its end: a late second record of the first answer would be seen with it
        OLLAMA.answer("Calm", " seas").tokenDelay(Duration.ZERO);
        assertThat(ask(owner, Map.of("question", "And the storm?", "conversation_id", conversationId))
                .map(ServerSentEvent::event).blockLast(Duration.ofSeconds(30))).isEqualTo("done");
        List<List<Object>> usage = usage(owner);
        assertThat(usage).hasSize(2);
        assertThat(usage.get(0).get(0)).isEqualTo("cancelled");
        long streamed = (Long) usage.get(0).get(1);
        assertThat(streamed).isBetween(4L, 99L);
        assertThat(usage.get(1)).containsExactly("stop", 2L, streamed + 2);
        assertThat(awaitMessages(owner, conversationId, 4).get("messages")).hasSize(4);
    }

    @Test
    void aSlowFirstTokenEndsWithATimeoutErrorEvent() {
        Account owner = api.signup("First token");
        upload(owner, "slow.txt", "The slow river flows past the old mill every spring.");
        OLLAMA.answer("late").firstTokenDelay(Duration.ofSeconds(6));
        List<ServerSentEvent<JsonNode>> events = ask(owner, Map.of("question", "What flows past the old mill?"))
                .collectList().block(Duration.ofSeconds(30));
        assertThat(events).extracting(ServerSentEvent::event).containsExactly("conversation", "sources", "error");
        assertThat(events.get(2).data().get("code").asString()).isEqualTo("llm_timeout");
        assertThat(OLLAMA.awaitClientDisconnect(Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void keepAlivesFlowWhileTheModelIsSilent() {
        Account owner = api.signup("Keep alive");
        upload(owner, "wait.txt", "The night train to the coast departs at eleven.");
        OLLAMA.answer("Eleven.").firstTokenDelay(Duration.ofMillis(2500));
        List<ServerSentEvent<JsonNode>> events = askWithComments(owner, Map.of("question", "When does the night train depart?"))
                .collectList().block(Duration.ofSeconds(30));
        assertThat(events).anySatisfy(event -> assertThat(event.comment()).isEqualTo("keep-alive"));
        assertThat(events).extracting(ServerSentEvent::event).filteredOn(java.util.Objects::nonNull)
                .containsExactly("conversation", "sources", "token", "done");
    }

    @Test
    void aStalledModelEndsWithATimeoutErrorEvent() {
        Account owner = api.signup("Stall");
        upload(owner, "stall.txt", "The clock tower chimes at noon and at midnight.");
        OLLAMA.answer("The", " clock", " chimes").stallAfter(2);
        List<ServerSentEvent<JsonNode>> events = ask(owner, Map.of("question", "When does the clock tower chime?"))
                .collectList().block(Duration.ofSeconds(30));
        assertThat(events).extracting(ServerSentEvent::event).containsExactly("conversation", "sources", "token", "token", "error");
        assertThat(events.get(4).data().get("code").asString()).isEqualTo("llm_timeout");
    }

    @Test
    void aMissingModelOrAModelServerThatDiesIsAnErrorEventAfterTheSources() {
        Account owner = api.signup("Model missing");
        upload(owner, "models.txt", "The penguin colony lives on the southern ice shelf.");
        OLLAMA.models("some-other-model");
        List<ServerSentEvent<JsonNode>> missing = ask(owner, Map.of("question", "Where does the penguin colony live?"))
                .collectList().block(Duration.ofSeconds(30));
        assertThat(missing).extracting(ServerSentEvent::event).containsExactly("conversation", "sources", "error");
        assertThat(missing.get(2).data().get("code").asString()).isEqualTo("model_not_found");

        OLLAMA.reset().dropAfter(0);
        List<ServerSentEvent<JsonNode>> down = ask(owner, Map.of("question", "Where does the penguin colony live?"))
                .collectList().block(Duration.ofSeconds(30));
        assertThat(down).extracting(ServerSentEvent::event).containsExactly("conversation", "sources", "error");
        assertThat(down.get(2).data().get("code").asString()).isEqualTo("llm_unavailable");
    }

    @Test
    void aFullQueueIsRefusedWith429() {
        Account owner = api.signup("Queue");
        upload(owner, "queue.txt", "The ferry leaves the harbour every hour on the hour.");
        // a token every 500 ms keeps each generation under the stall timeout (2 s) and holding its slot until the
        // answer timeout (20 s)
        OLLAMA.answer(IntStream.range(0, 100).mapToObj(i -> " t" + i).toArray(String[]::new)).tokenDelay(Duration.ofMillis(500));
        List<reactor.core.Disposable> running = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                running.add(ask(owner, Map.of("question", "When does the ferry leave?")).subscribe());
            }
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(List.of(gate.inFlight(), gate.waiting()))
                    .as("generations in flight and waiting").containsExactly(2, 2));
            http.post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("question", "When does the ferry leave?"))
                    .exchange()
                    .expectStatus().isEqualTo(429)
                    .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                    .expectBody().jsonPath("$.code").isEqualTo("queue_full");
        }
        finally {
            running.forEach(reactor.core.Disposable::dispose);
        }
    }

    @Test
    void jsonModeAnswersInOneBody() {
        Account owner = api.signup("Json");
        upload(owner, "tea.txt", "Green tea should steep for two minutes in water at eighty degrees.");
        OLLAMA.answer("Two", " minutes", " [1].");
        http.post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .accept(MediaType.APPLICATION_JSON).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("question", "How long should green tea steep?"))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.answer").isEqualTo("Two minutes [1].")
                .jsonPath("$.conversation_id").isNotEmpty()
                .jsonPath("$.message_id").isNotEmpty()
                .jsonPath("$.sources[0].filename").isEqualTo("tea.txt")
                .jsonPath("$.usage.completion_tokens").isEqualTo(3);
    }

    @Test
    void continuingAConversationMovesItToTheTopOfTheList() {
        Account owner = api.signup("Recent first");
        upload(owner, "plants.txt", "The fern in the lobby is watered on Mondays.");
        OLLAMA.answer("Mondays", " [1].");
        String older = ask(owner, Map.of("question", "When is the fern watered?"))
                .blockFirst(Duration.ofSeconds(30)).data().get("conversation_id").asString();
        String newer = ask(owner, Map.of("question", "Where is the fern?"))
                .blockFirst(Duration.ofSeconds(30)).data().get("conversation_id").asString();
        conversationsInOrder(owner, newer, older);

        ask(owner, Map.of("question", "And in winter?", "conversation_id", older)).blockLast(Duration.ofSeconds(30));

        conversationsInOrder(owner, older, newer);
    }

    private void conversationsInOrder(Account owner, String first, String second) {
        http.get().uri("/api/v1/conversations").header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.items[0].id").isEqualTo(first)
                .jsonPath("$.items[1].id").isEqualTo(second);
    }

    @Test
    void aConversationCarriesItsHistory() {
        Account owner = api.signup("History");
        upload(owner, "cats.txt", "The office cat is called Miso and sleeps on the printer.");
        OLLAMA.answer("Miso", " [1].");
        List<ServerSentEvent<JsonNode>> first = ask(owner, Map.of("question", "What is the office cat called?"))
                .collectList().block(Duration.ofSeconds(30));
        String conversationId = first.get(0).data().get("conversation_id").asString();
        OLLAMA.answer("On", " the", " printer.");
        List<ServerSentEvent<JsonNode>> second = ask(owner, Map.of("question", "Where does the office cat sleep?", "conversation_id", conversationId))
                .collectList().block(Duration.ofSeconds(30));
        assertThat(second.get(0).data().get("conversation_id").asString()).isEqualTo(conversationId);
        List<ReceivedChat.Turn> messages = OLLAMA.lastRequest().messages();
        assertThat(messages).extracting(ReceivedChat.Turn::role).containsExactly("system", "user", "assistant", "user");
        assertThat(messages.get(1).content()).isEqualTo("What is the office cat called?");
        assertThat(messages.get(2).content()).isEqualTo("Miso [1].");

        http.get().uri("/api/v1/conversations").header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.items[0].id").isEqualTo(conversationId)
                .jsonPath("$.items[0].title").isEqualTo("What is the office cat called?");
        JsonNode conversation = awaitMessages(owner, conversationId, 4);
        assertThat(conversation.get("messages").get(1).get("sources").get(0).get("filename").asString()).isEqualTo("cats.txt");
        http.delete().uri("/api/v1/conversations/{id}", conversationId).header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectStatus().isNoContent();
        http.get().uri("/api/v1/conversations/{id}", conversationId).header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void anotherTenantsConversationOrDocumentIs404BeforeAnythingStreams() {
        Account a = api.signup("Conv A");
        Account b = api.signup("Conv B");
        String documentId = upload(a, "own.txt", "Tenant A's handbook says lunch is at noon.");
        OLLAMA.answer("Noon.");
        String conversationId = ask(a, Map.of("question", "When is lunch?")).blockFirst(Duration.ofSeconds(30))
                .data().get("conversation_id").asString();

        for (Map<String, Object> body : List.<Map<String, Object>>of(
                Map.of("question", "When is lunch?", "conversation_id", conversationId),
                Map.of("question", "When is lunch?", "document_ids", List.of(documentId)))) {
            http.post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, b.bearer())
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                    .exchange()
                    .expectStatus().isNotFound()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        for (String method : new String[] { "GET", "DELETE" }) {
            http.method(org.springframework.http.HttpMethod.valueOf(method)).uri("/api/v1/conversations/{id}", conversationId)
                    .header(HttpHeaders.AUTHORIZATION, b.bearer()).exchange().expectStatus().isNotFound();
        }
        http.get().uri("/api/v1/conversations").header(HttpHeaders.AUTHORIZATION, b.bearer()).exchange()
                .expectBody().jsonPath("$.total").isEqualTo(0);
    }

    @Test
    void questionsAreValidatedBeforeAnyWork() {
        Account owner = api.signup("Validation");
        upload(owner, "bus.txt", "The night bus leaves the central station at midnight.");
        String question = "When does the night bus leave?";
        for (Map<String, Object> body : List.<Map<String, Object>>of(
                Map.of("question", "x".repeat(4001)), Map.of("question", ""), Map.of("question", question, "top_k", 0),
                Map.of("question", question, "top_k", 21), Map.of("question", question, "min_score", 1.5))) {
            http.post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                    .exchange()
                    .expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.code").isEqualTo("validation_failed");
        }
        assertThat(OLLAMA.requests()).isEmpty();
        // the same question, valid, does reach the model: the check above can fail
        ask(owner, Map.of("question", question, "top_k", 3)).blockLast(Duration.ofSeconds(30));
        assertThat(OLLAMA.requests()).hasSize(1);
    }

    private Flux<ServerSentEvent<JsonNode>> ask(Account account, Map<String, Object> body) {
        return askWithComments(account, body).filter(event -> event.event() != null);
    }

    private Flux<ServerSentEvent<JsonNode>> askWithComments(Account account, Map<String, Object> body) {
        return http.post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, account.bearer())
                .accept(MediaType.TEXT_EVENT_STREAM).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange()
                .expectStatus().isOk()
                .returnResult(SSE)
                .getResponseBody();
    }

    private String upload(Account account, String name, String text) {
        return api.upload(account, name, text);
    }

    private JsonNode awaitMessages(Account account, String conversationId, int count) {
        for (int attempt = 0; attempt < 50; attempt++) {
            JsonNode conversation = http.get().uri("/api/v1/conversations/{id}", conversationId)
                    .header(HttpHeaders.AUTHORIZATION, account.bearer()).exchange()
                    .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
            if (conversation.get("messages").size() >= count) {
                return conversation;
            }
            StepVerifier.create(reactor.core.publisher.Mono.delay(Duration.ofMillis(100))).expectNextCount(1).verifyComplete();
        }
        throw new AssertionError("conversation " + conversationId + " never had " + count + " messages");
    }

    private static String prompt(ReceivedChat chat) {
        StringBuilder all = new StringBuilder();
        chat.messages().forEach(turn -> all.append(turn.content()).append('\n'));
        return all.toString();
    }
}
