package io.docqa.chat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import io.docqa.tenant.Caller;
import io.docqa.web.ApiException;
import io.docqa.web.PathIds;
import io.docqa.web.QueryParams;
import reactor.core.publisher.Mono;

@Component
class ConversationHandler {

    private static final int MAX_PAGE_SIZE = 100;

    private final Conversations conversations;

    ConversationHandler(Conversations conversations) {
        this.conversations = conversations;
    }

    Mono<ServerResponse> list(ServerRequest request) {
        int page = QueryParams.intParam(request, "page", 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE);
        int size = QueryParams.intParam(request, "size", 20, 1, MAX_PAGE_SIZE);
        return Caller.of(request)
                .flatMap(caller -> Mono.zip(conversations.page(caller, page, size).collectList(), conversations.count(caller)))
                .flatMap(result -> ServerResponse.ok().bodyValue(new Page(result.getT1(), page, size, result.getT2())));
    }

    Mono<ServerResponse> get(ServerRequest request) {
        UUID id = PathIds.uuid(request, "id", "Conversation");
        return Caller.of(request)
                .flatMap(caller -> conversations.find(caller, id)
                        .switchIfEmpty(Mono.error(() -> ApiException.notFound("Conversation")))
                        .flatMap(conversation -> conversations.messages(caller.tenantId(), id).collectList()
                                .map(messages -> new Detail(conversation.id(), conversation.title(), conversation.createdAt(), messages))))
                .flatMap(detail -> ServerResponse.ok().bodyValue(detail));
    }

    Mono<ServerResponse> delete(ServerRequest request) {
        UUID id = PathIds.uuid(request, "id", "Conversation");
        return Caller.of(request)
                .flatMap(caller -> conversations.delete(caller, id))
                .flatMap(rows -> rows == 0 ? Mono.error(ApiException.notFound("Conversation")) : ServerResponse.noContent().build());
    }

    record Page(List<Conversation> items, int page, int size, long total) {
    }

    record Detail(UUID id, String title, Instant createdAt, List<Message> messages) {
    }
}
