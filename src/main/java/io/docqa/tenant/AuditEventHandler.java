package io.docqa.tenant;

import java.util.List;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import io.docqa.web.QueryParams;
import reactor.core.publisher.Mono;

/** {@code GET /api/v1/audit-events}: the caller's tenant's trail, newest first, keyset-paged by an opaque cursor. */
@Component
class AuditEventHandler {

    private final AuditEvents events;

    AuditEventHandler(AuditEvents events) {
        this.events = events;
    }

    Mono<ServerResponse> list(ServerRequest request) {
        AuditQuery query = AuditQuery.from(request);
        int limit = QueryParams.intParam(request, "limit", 50, 1, 200);
        return Caller.of(request)
                .flatMap(caller -> events.page(caller.tenantId(), query, limit + 1).collectList())
                .map(found -> found.size() > limit
                        ? new Page(found.subList(0, limit), position(found.get(limit - 1)).cursor())
                        : new Page(found, null))
                .flatMap(page -> ServerResponse.ok().bodyValue(page));
    }

    private static AuditQuery.Position position(AuditEventView last) {
        return new AuditQuery.Position(last.at(), last.id());
    }

    record Page(List<AuditEventView> items, String nextCursor) {
    }
}
