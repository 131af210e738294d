package io.docqa.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import io.docqa.support.Api;
import io.docqa.support.Api.Account;
import io.docqa.support.ChromaServer;
import io.docqa.support.FakeOllama;
import io.docqa.support.ServiceInstance;
import tools.jackson.databind.JsonNode;

/**
 * The whole service at each of Chroma's isolation levels ({@code docqa.chroma.isolation}): a tenant's questions find
 * only its own passages, its vectors live where the level says, and deleting the tenant deletes them there.
 */
@ParameterizedClass(name = "isolation {0}")
@ValueSource(strings = { "collection", "database", "tenant" })
class ChromaIsolationLevelsTest {

    private static final String MODEL = "all-minilm-l6-v2-q";
    private static final HttpClient chroma = HttpClient.newHttpClient();
    private static FakeOllama ollama;

    @Parameter
    String level;

    @BeforeAll
    static void startModel() {
        ollama = FakeOllama.start();
    }

    @AfterAll
    static void stopModel() {
        ollama.close();
    }

    @Test
    void eachTenantFindsOnlyItsOwnPassagesWhereTheLevelKeepsThem() {
        try (ServiceInstance service = ServiceInstance.start(ollama.baseUrl(), Map.of("docqa.chroma.isolation", level))) {
            WebTestClient http = service.http();
            Api api = new Api(http);
            Account alice = api.signup("Alice at " + level);
            Account bob = api.signup("Bob at " + level);
            String aliceDoc = api.upload(alice, "falcon.txt", "The launch code of project Falcon is 7731. Keep it in the safe.");
            String bobDoc = api.upload(bob, "cafeteria.txt", "The cafeteria opens at noon and closes at three.");

            assertThat(sourcesOf(http, alice)).containsOnly(aliceDoc);
            assertThat(sourcesOf(http, bob)).containsOnly(bobDoc);
            assertThat(status(vectorsOf(alice))).isEqualTo(200);

            http.delete().uri("/api/v1/tenant").header(HttpHeaders.AUTHORIZATION, alice.bearer()).exchange()
                    .expectStatus().isNoContent();

            assertThat(status(vectorsOf(alice))).isEqualTo(404);
            assertThat(status(vectorsOf(bob))).isEqualTo(200);
            assertThat(sourcesOf(http, bob)).containsOnly(bobDoc);
        }
    }

    /** The documents of every source of a question about the launch code, with every chunk a candidate. */
    private static java.util.List<String> sourcesOf(WebTestClient http, Account account) {
        JsonNode answer = http.post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, account.bearer())
                .accept(MediaType.APPLICATION_JSON).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("question", "What is the launch code of project Falcon?", "top_k", 10, "min_score", 0))
                .exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(answer.get("sources").size()).as(answer.toString()).isPositive();
        return answer.get("sources").valueStream().map(source -> source.get("document_id").asString()).toList();
    }

    /** Where the level keeps the tenant's vectors: its collection, or the Chroma database that holds only its own. */
    private String vectorsOf(Account account) {
        String id = account.tenantId().toString();
        return switch (level) {
            case "collection" -> "tenants/default_tenant/databases/default_database/collections/docqa-" + id + "-" + MODEL;
            case "database" -> "tenants/default_tenant/databases/docqa-" + id;
            case "tenant" -> "tenants/docqa-" + id + "/databases/docqa";
            default -> throw new IllegalArgumentException(level);
        };
    }

    private static int status(String path) {
        try {
            return chroma.send(HttpRequest.newBuilder(URI.create(ChromaServer.get().url() + "/api/v2/" + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
