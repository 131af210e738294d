package io.docqa.chat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import io.docqa.tenant.AuditAction;
import io.docqa.tenant.AuditActor;
import io.docqa.tenant.AuditTarget;
import io.docqa.tenant.AuditTrail;
import io.docqa.tenant.Caller;
import io.docqa.tenant.Role;
import io.docqa.web.ApiException;
import io.docqa.web.PathIds;
import io.docqa.web.QueryParams;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuple2;

/**
 * A caller's own conversations; an admin (or owner) also reads every conversation of the tenant: the list with
 * {@code ?all=true}, and any one by its id. Each read of others' conversations is an audit event.
 */
@Component
class ConversationHandler {

    private static final int MAX_PAGE_SIZE = 100;

    private final Conversations conversations;
    private final AuditTrail audit;

    ConversationHandler(Conversations conversations, AuditTrail audit) {
        this.conversations = conversations;
        this.audit = audit;
    }

    Mono<ServerResponse> list(ServerRequest request) {
        int page = QueryParams.intParam(request, "page", 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE);
        int size = QueryParams.intParam(request, "size", 20, 1, MAX_PAGE_SIZE);
        boolean all = all(request);
        return Caller.of(request)
                .flatMap(caller -> all ? everyones(caller, page, size)
                        : Mono.zip(conversations.page(caller, page, size).collectList(), conversations.count(caller)))
                .flatMap(result -> ServerResponse.ok().bodyValue(new Page(result.getT1(), page, size, result.getT2())));
    }

    Mono<ServerResponse> get(ServerRequest request) {
        UUID id = PathIds.uuid(request, "id", "Conversation");
        return Caller.of(request)
                .flatMap(caller -> readable(caller, id)
                        .switchIfEmpty(Mono.error(() -> ApiException.notFound("Conversation")))
                        .flatMap(conversation -> conversations.messages(caller.tenantId(), id).collectList()
                                .map(messages -> new Detail(conversation.id(), conversation.title(), conversation.createdAt(),
                                        conversation.ownerId(), messages))))
                .flatMap(detail -> ServerResponse.ok().bodyValue(detail));
    }

    Mono<ServerResponse> delete(ServerRequest request) {
        UUID id = PathIds.uuid(request, "id", "Conversation");
        return Caller.of(request)
                .flatMap(caller -> conversations.delete(caller, id))
                .flatMap(rows -> rows == 0 ? Mono.error(ApiException.notFound("Conversation")) : ServerResponse.noContent().build());
    }

    private Mono<Tuple2<List<Conversation>, Long>> everyones(Caller caller, int page, int size) {
        if (!caller.role().isAtLeast(Role.ADMIN)) {
            return Mono.error(ApiException.forbidden("Only an admin or owner reads every conversation of the tenant"));
        }
        return audit.record(caller.tenantId(), AuditActor.of(caller), AuditAction.CONVERSATIONS_LISTED,
                        AuditTarget.tenant(caller.tenantId()), Map.of("page", page, "size", size))
                .then(Mono.zip(conversations.pageAll(caller.tenantId(), page, size).collectList(),
                        conversations.countAll(caller.tenantId())));
    }

    /** The caller's own conversation; for an admin, any of the tenant's, audited when it is someone else's. */
    private Mono<Conversation> readable(Caller caller, UUID id) {
        if (!caller.role().isAtLeast(Role.ADMIN)) {
            return conversations.find(caller, id);
        }
        return conversations.findInTenant(caller.tenantId(), id)
                .flatMap(conversation -> conversation.ownerId().equals(caller.actorId()) ? Mono.just(conversation)
                        : audit.record(caller.tenantId(), AuditActor.of(caller), AuditAction.CONVERSATION_READ,
                                AuditTarget.of("conversation", id), Map.of("owner_id", conversation.ownerId().toString()))
                                .thenReturn(conversation));
    }

    private static boolean all(ServerRequest request) {
        String value = request.queryParam("all").orElse("false").trim();
        if (!value.equals("true") && !value.equals("false")) {
            throw ApiException.invalid("all", "must be true or false");
        }
        return value.equals("true");
    }

    record Page(List<Conversation> items, int page, int size, long total) {
    }

    record Detail(UUID id, String title, Instant createdAt, UUID ownerId, List<Message> messages) {
    }
}
