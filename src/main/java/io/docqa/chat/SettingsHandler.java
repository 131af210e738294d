package io.docqa.chat;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import io.docqa.tenant.Caller;
import io.docqa.web.RequestBodies;
import reactor.core.publisher.Mono;

/** {@code GET} (any role) and {@code PATCH} (admin and owner) {@code /api/v1/tenant/settings}. */
@Component
class SettingsHandler {

    private final AnswerSettings settings;
    private final RequestBodies bodies;

    SettingsHandler(AnswerSettings settings, RequestBodies bodies) {
        this.settings = settings;
        this.bodies = bodies;
    }

    Mono<ServerResponse> get(ServerRequest request) {
        return Caller.of(request)
                .flatMap(caller -> settings.of(caller.tenantId()))
                .flatMap(found -> ServerResponse.ok().bodyValue(found));
    }

    Mono<ServerResponse> change(ServerRequest request) {
        return Caller.of(request)
                .zipWith(bodies.read(request, SettingsChange.class))
                .flatMap(both -> settings.change(both.getT1(), both.getT2()))
                .flatMap(changed -> ServerResponse.ok().bodyValue(changed));
    }
}
