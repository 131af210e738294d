package io.docqa.ai;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.store.embedding.chroma.ChromaApiVersion;
import dev.langchain4j.store.embedding.chroma.ChromaEmbeddingStore;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The collections of the Chroma server (API v2), over one HTTP client ({@link ReactorHttpClient.Factory}): LangChain4j's
 * stores, one per collection, built on first use, for vectors in and out; and the calls the stores lack (counting by
 * metadata, dropping a collection, the heartbeat). A store blocks its caller, so store calls run on the bounded
 * scheduler {@code chroma} ({@code docqa.chroma.max-concurrency} threads); the other calls block nothing. Every call is
 * bounded by {@code docqa.chroma.timeout}, and its failures are sorted by {@link ChromaFailures}.
 */
final class ChromaCollections implements AutoCloseable {

    private static final int MAX_STORES = 10_000;
    private static final int QUEUED_CALLS_PER_THREAD = 128;
    private static final int CREATION_ATTEMPTS = 4;
    /** What a search reads: never the stored vectors, which are most of an answer's bytes and of its parsing. */
    private static final List<String> QUERY_INCLUDES = List.of("metadatas", "distances");

    private final ChromaProperties properties;
    private final ReactorHttpClient http;
    private final Scheduler scheduler;
    private final Map<ChromaAddress, ChromaEmbeddingStore> stores = new ConcurrentHashMap<>();
    private final Map<ChromaAddress, String> ids = new ConcurrentHashMap<>();
    private final JsonMapper json = JsonMapper.shared();

    ChromaCollections(ChromaProperties properties) {
        this.properties = properties;
        this.http = new ReactorHttpClient.Factory().create()
                .connectTimeout(properties.timeout())
                .readTimeout(properties.timeout())
                .build();
        this.scheduler = Schedulers.newBoundedElastic(properties.maxConcurrency(), QUEUED_CALLS_PER_THREAD, "chroma");
    }

    /**
     * Runs {@code work} against the store of {@code collection}, which creates the collection (and its Chroma tenant
     * and database) when missing. A cached store whose collection was deleted elsewhere answers 404: it is then built
     * again and the call repeated once.
     */
    <T> Mono<T> withStore(ChromaAddress collection, Function<ChromaEmbeddingStore, T> work) {
        return blocking(() -> {
            try {
                return work.apply(store(collection));
            } catch (RuntimeException e) {
                if (!ChromaFailures.isMissingCollection(e)) {
                    throw e;
                }
                stores.remove(collection);
                ids.remove(collection);
                return work.apply(store(collection));
            }
        });
    }

    /**
     * Chroma's answer to a query of the {@code n} records nearest to {@code vector} that match {@code where} (all when
     * it is empty): ids, metadatas and distances. Empty when there is no collection; nothing is created.
     * Non-blocking: the collection's id is cached, and looked up again when Chroma no longer knows it.
     */
    Mono<JsonNode> query(ChromaAddress collection, float[] vector, int n, Map<String, Object> where) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("query_embeddings", List.of(vector));
        request.put("n_results", n);
        request.put("include", QUERY_INCLUDES);
        if (!where.isEmpty()) {
            request.put("where", where);
        }
        String body = json.writeValueAsString(request);
        return bounded(queryOnce(collection, body)
                .onErrorResume(ChromaFailures::isMissingCollection, gone -> {
                    ids.remove(collection);
                    return queryOnce(collection, body).onErrorResume(ChromaFailures::isMissingCollection, stillGone -> Mono.empty());
                }));
    }

    private Mono<JsonNode> queryOnce(ChromaAddress collection, String body) {
        return collectionId(collection)
                .flatMap(id -> http.send(request(HttpMethod.POST,
                        properties.baseUrl() + collection.databasePath() + "collections/" + id + "/query", body)))
                .map(response -> json.readTree(response.body()));
    }

    private Mono<String> collectionId(ChromaAddress collection) {
        String known = ids.get(collection);
        if (known != null) {
            return Mono.just(known);
        }
        return call(HttpMethod.GET, collection.databasePath() + "collections/" + collection.collection(), null)
                .map(body -> json.readTree(body).get("id").asString())
                .doOnNext(id -> {
                    if (ids.size() >= MAX_STORES) {
                        ids.clear();
                    }
                    ids.put(collection, id);
                });
    }

    /** The records of the collection that match a Chroma {@code where} filter (all when it is empty); 0 without it. */
    Mono<Long> count(ChromaAddress collection, Map<String, Object> where) {
        String database = collection.databasePath();
        return bounded(call(HttpMethod.GET, database + "collections/" + collection.collection(), null)
                .map(body -> json.readTree(body).get("id").asString())
                .flatMap(id -> where.isEmpty()
                        ? call(HttpMethod.GET, database + "collections/" + id + "/count", null).map(Long::parseLong)
                        : call(HttpMethod.POST, database + "collections/" + id + "/get", Map.of("where", where, "include", List.of()))
                                .map(body -> (long) json.readTree(body).get("ids").size()))
                .defaultIfEmpty(0L));
    }

    /**
     * Deletes the collection with every record in it, if there is one; when the collection has a database of its own,
     * the database with it.
     */
    Mono<Void> drop(ChromaAddress collection) {
        String path = collection.ownsDatabase()
                ? "api/v2/tenants/" + collection.tenant() + "/databases/" + collection.database()
                : collection.databasePath() + "collections/" + collection.collection();
        return bounded(call(HttpMethod.DELETE, path, null).then())
                .doFinally(signal -> forget(collection));
    }

    private void forget(ChromaAddress collection) {
        stores.remove(collection);
        ids.remove(collection);
    }

    /** Deletes the collection with every record in it, if there is one; never the database around it. */
    Mono<Void> dropCollection(ChromaAddress collection) {
        return bounded(call(HttpMethod.DELETE, collection.databasePath() + "collections/" + collection.collection(), null).then())
                .doFinally(signal -> forget(collection));
    }

    /** Whether Chroma answers its heartbeat within {@code within}. Never fails. */
    Mono<Boolean> isAvailable(Duration within) {
        return http.send(request(HttpMethod.GET, properties.baseUrl() + "api/v2/heartbeat", null))
                .map(response -> true)
                .timeout(within)
                .onErrorReturn(false);
    }

    /** The body of a 2xx answer; empty for 404. */
    private Mono<String> call(HttpMethod method, String path, Object body) {
        return http.send(request(method, properties.baseUrl() + path, body == null ? null : json.writeValueAsString(body)))
                .map(SuccessfulHttpResponse::body)
                .onErrorResume(ChromaFailures::isMissingCollection, missing -> Mono.empty());
    }

    private static HttpRequest request(HttpMethod method, String url, String body) {
        return HttpRequest.builder().method(method).url(url).addHeader("Content-Type", "application/json").body(body).build();
    }

    private <T> Mono<T> bounded(Mono<T> call) {
        return call.timeout(properties.timeout()).onErrorMap(ChromaFailures::translate);
    }

    /**
     * A store call on the {@code chroma} scheduler. One that times out or is cancelled is interrupted; the failure that
     * follows has nobody to go to and is dropped here rather than logged as an error by Reactor.
     */
    private <T> Mono<T> blocking(Callable<T> work) {
        return Mono.defer(() -> {
            AtomicBoolean cancelled = new AtomicBoolean();
            return bounded(Mono.fromCallable(() -> {
                        try {
                            return work.call();
                        } catch (Exception e) {
                            if (cancelled.get()) {
                                return null;
                            }
                            throw e;
                        }
                    })
                    .subscribeOn(scheduler)
                    .doOnCancel(() -> cancelled.set(true)));
        });
    }

    /** Building a store makes 3-4 calls and creates the collection when missing. Past the bound any one is let go. */
    private ChromaEmbeddingStore store(ChromaAddress collection) {
        ChromaEmbeddingStore store = stores.get(collection);
        if (store != null) {
            return store;
        }
        if (stores.size() >= MAX_STORES) {
            Iterator<ChromaAddress> any = stores.keySet().iterator();
            if (any.hasNext()) {
                stores.remove(any.next());
            }
        }
        return stores.computeIfAbsent(collection, this::newStore);
    }

    /**
     * Another instance may create the same tenant, database or collection at the same moment: the loser of that race
     * gets 409 and builds the store again, now finding what the winner created.
     */
    private ChromaEmbeddingStore newStore(ChromaAddress address) {
        for (int attempt = 1; ; attempt++) {
            try {
                return ChromaEmbeddingStore.builder()
                        .apiVersion(ChromaApiVersion.V2)
                        .baseUrl(properties.baseUrl())
                        .tenantName(address.tenant())
                        .databaseName(address.database())
                        .collectionName(address.collection())
                        .timeout(properties.timeout())
                        .build();
            } catch (RuntimeException e) {
                if (attempt == CREATION_ATTEMPTS || !ChromaFailures.isConflict(e)) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void close() {
        scheduler.dispose();
    }
}
