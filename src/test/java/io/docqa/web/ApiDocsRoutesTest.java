package io.docqa.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.result.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import io.docqa.support.IntegrationTest;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The served OpenAPI description and the routes the running service answers must agree, both ways: every route of
 * every {@link RouterFunction} bean and every annotated or actuator handler method is described, and every
 * described operation is served. Static files ({@code /app.js}, {@code /webjars/**}) are assets, not routes.
 */
class ApiDocsRoutesTest extends IntegrationTest {

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private static final PathPatternParser PATTERNS = PathPatternParser.defaultInstance;

    @Autowired
    ApplicationContext context;

    private JsonNode description;

    @BeforeEach
    void readDescription() {
        description = http.get().uri("/v3/api-docs").accept(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    @Test
    void everyServedRouteIsDescribedAndEveryDescribedRouteIsServed() {
        Set<String> functional = functionalRoutes();
        Set<String> handlerMethods = handlerMethodRoutes();
        Set<String> described = describedRoutes();

        assertThat(functional).as("functional routes found in the context").contains("POST /api/v1/auth/signup", "GET /");

        Set<String> undescribed = new TreeSet<>(functional);
        undescribed.removeAll(described);
        handlerMethods.stream().filter(route -> !coveredBy(route, described)).forEach(undescribed::add);
        assertThat(undescribed).as("routes the service serves that /v3/api-docs does not describe").isEmpty();

        Set<String> unserved = new TreeSet<>(described);
        unserved.removeAll(functional);
        unserved.removeIf(route -> handlerMethods.stream().anyMatch(served -> matches(served, route)));
        assertThat(unserved).as("routes /v3/api-docs describes that the service does not serve").isEmpty();
    }

    @Test
    void describesBearerAuthProblemsAndEventStreams() {
        assertThat(description.path("openapi").asString()).startsWith("3.1");
        JsonNode bearer = description.at("/components/securitySchemes/bearerAuth");
        assertThat(bearer.path("type").asString()).isEqualTo("http");
        assertThat(bearer.path("scheme").asString()).isEqualTo("bearer");
        assertThat(description.at("/security/0").has("bearerAuth")).isTrue();
        assertThat(description.at("/components/schemas/Problem/required").toString())
                .contains("type", "title", "status", "detail", "instance", "code");

        JsonNode chat = description.at("/paths/~1api~1v1~1chat/post/responses/200/content");
        assertThat(chat.has("text/event-stream")).as("chat streams").isTrue();
        assertThat(description.at("/components/schemas/ChatStream").toString())
                .contains("ChatConversationEvent", "ChatSourcesEvent", "ChatTokenEvent", "ChatDoneEvent", "Problem");
        assertThat(description.at("/paths/~1api~1v1~1documents/post/responses/200/content").has("text/event-stream"))
                .as("upload progress streams").isTrue();

        List<String> problems = new ArrayList<>();
        forEachOperation((route, operation) -> {
            JsonNode responses = operation.path("responses");
            assertThat(responses.isEmpty()).as(route + " has responses").isFalse();
            for (Map.Entry<String, JsonNode> response : responses.properties()) {
                JsonNode resolved = resolve(response.getValue());
                boolean error = response.getKey().startsWith("4") || response.getKey().startsWith("5");
                boolean openAi = route.contains(" /v1/");
                String errorBody = openAi ? "/content/application~1json/schema" : "/content/application~1problem+json/schema";
                String errorSchema = openAi ? "#/components/schemas/OpenAiError" : "#/components/schemas/Problem";
                if (error && !route.contains("/actuator/") && !resolve(resolved.at(errorBody)).equals(resolve(ref(errorSchema)))) {
                    problems.add(route + " " + response.getKey());
                }
            }
            boolean secured = !operation.has("security") || !operation.path("security").isEmpty();
            if (secured && (route.contains("/api/v1/") || route.contains(" /v1/")) && !operation.path("responses").has("401")) {
                problems.add(route + " is secured but does not describe 401");
            }
        });
        assertThat(problems).as("error responses without an application/problem+json Problem body (OpenAI's error body under /v1)")
                .isEmpty();
    }

    @Test
    void everyReferenceResolves() {
        List<String> broken = new ArrayList<>();
        collectRefs(description, broken);
        assertThat(broken).as("$ref targets missing from the description").isEmpty();
    }

    // ------------------------------------------------------------------------------------------ served routes

    private Set<String> functionalRoutes() {
        Set<String> routes = new TreeSet<>();
        for (RouterFunction<?> router : context.getBeansOfType(RouterFunction.class).values()) {
            router.accept(new RouteCollector(routes));
        }
        return routes;
    }

    private Set<String> handlerMethodRoutes() {
        Set<String> routes = new TreeSet<>();
        for (RequestMappingInfoHandlerMapping mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
            mapping.getHandlerMethods().keySet().forEach(info -> {
                Set<?> methods = info.getMethodsCondition().getMethods();
                for (PathPattern pattern : info.getPatternsCondition().getPatterns()) {
                    if (methods.isEmpty()) {
                        routes.add("* " + pattern.getPatternString());
                    }
                    methods.forEach(method -> routes.add(method + " " + pattern.getPatternString()));
                }
            });
        }
        return routes;
    }

    /** A handler method route such as {@code GET /actuator/health/{*path}} is described when a described route matches it. */
    private static boolean coveredBy(String served, Set<String> described) {
        return described.contains(served) || described.stream().anyMatch(route -> matches(served, route));
    }

    private static boolean matches(String served, String described) {
        String[] s = served.split(" ", 2);
        String[] d = described.split(" ", 2);
        boolean method = s[0].equals("*") || s[0].equals(d[0]);
        return method && PATTERNS.parse(s[1]).matches(org.springframework.http.server.PathContainer.parsePath(d[1]));
    }

    /** Reads method + path pattern of each route; a route without a method (the 405 fallbacks) is not an operation. */
    private static final class RouteCollector implements RouterFunctions.Visitor {

        private final Set<String> routes;
        private final Deque<String> prefixes = new ArrayDeque<>();

        RouteCollector(Set<String> routes) {
            this.routes = routes;
        }

        @Override
        public void startNested(RequestPredicate predicate) {
            PredicateReader reader = PredicateReader.read(predicate);
            prefixes.push(reader.path == null ? "" : reader.path);
        }

        @Override
        public void endNested(RequestPredicate predicate) {
            prefixes.pop();
        }

        @Override
        public void route(RequestPredicate predicate, HandlerFunction<?> handler) {
            PredicateReader reader = PredicateReader.read(predicate);
            if (reader.methods.isEmpty()) {
                return;
            }
            StringBuilder path = new StringBuilder();
            prefixes.descendingIterator().forEachRemaining(path::append);
            path.append(reader.path == null ? "" : reader.path);
            String normalized = path.toString().replaceAll("\\{(\\w+):[^}]*}", "{$1}");
            reader.methods.forEach(method -> routes.add(method.name() + " " + normalized));
        }

        @Override
        public void resources(Function<ServerRequest, Mono<Resource>> lookupFunction) {
            throw new AssertionError("A RouterFunction serves resources; this test cannot list them: " + lookupFunction);
        }

        @Override
        public void attributes(Map<String, Object> attributes) {
        }

        @Override
        public void unknown(RouterFunction<?> routerFunction) {
            throw new AssertionError("Cannot read the routes of " + routerFunction);
        }
    }

    /** Reads {@code method(...) and path(...)}; anything fancier fails loudly rather than being skipped. */
    private static final class PredicateReader implements RequestPredicates.Visitor {

        private final Set<HttpMethod> methods = new java.util.LinkedHashSet<>();
        private String path;

        static PredicateReader read(RequestPredicate predicate) {
            PredicateReader reader = new PredicateReader();
            predicate.accept(reader);
            return reader;
        }

        @Override
        public void method(Set<HttpMethod> methods) {
            this.methods.addAll(methods);
        }

        @Override
        public void path(String pattern) {
            if (path != null) {
                throw new AssertionError("Two paths in one route predicate: " + path + ", " + pattern);
            }
            path = pattern;
        }

        @Override
        @SuppressWarnings("removal") // the visitor must still implement it while Spring has it
        public void pathExtension(String extension) {
            throw unreadable("pathExtension " + extension);
        }

        @Override
        public void header(String name, String value) {
            // accept/contentType predicates narrow a route, they do not make another one
        }

        @Override
        public void queryParam(String name, String value) {
        }

        @Override
        public void version(String version) {
        }

        @Override
        public void startAnd() {
        }

        @Override
        public void and() {
        }

        @Override
        public void endAnd() {
        }

        @Override
        public void startOr() {
            throw unreadable("or");
        }

        @Override
        public void or() {
        }

        @Override
        public void endOr() {
        }

        @Override
        public void startNegate() {
            throw unreadable("negate");
        }

        @Override
        public void endNegate() {
        }

        @Override
        public void unknown(RequestPredicate predicate) {
            throw unreadable(predicate.toString());
        }

        private static AssertionError unreadable(String what) {
            return new AssertionError("This test cannot read the route predicate part '" + what + "'; teach it to");
        }
    }

    // ------------------------------------------------------------------------------------------ described routes

    private Set<String> describedRoutes() {
        Set<String> routes = new TreeSet<>();
        forEachOperation((route, operation) -> routes.add(route));
        return routes;
    }

    private void forEachOperation(java.util.function.BiConsumer<String, JsonNode> action) {
        for (Map.Entry<String, JsonNode> path : description.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (HTTP_METHODS.contains(operation.getKey())) {
                    action.accept(operation.getKey().toUpperCase() + " " + path.getKey(), operation.getValue());
                }
            }
        }
    }

    private JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            node = description.at(node.get("$ref").asString().substring(1));
        }
        return node;
    }

    private static JsonNode ref(String target) {
        return tools.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("$ref", target);
    }

    private void collectRefs(JsonNode node, List<String> broken) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (field.getKey().equals("$ref")) {
                    String target = field.getValue().asString();
                    if (!target.startsWith("#/") || description.at(target.substring(1)).isMissingNode()) {
                        broken.add(target);
                    }
                }
                else {
                    collectRefs(field.getValue(), broken);
                }
            }
        }
        else if (node.isArray()) {
            node.values().forEach(child -> collectRefs(child, broken));
        }
    }
}
