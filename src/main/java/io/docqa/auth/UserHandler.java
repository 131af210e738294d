package io.docqa.auth;

import java.net.URI;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import io.docqa.tenant.Caller;
import io.docqa.web.PathIds;
import io.docqa.web.RequestBodies;
import reactor.core.publisher.Mono;

@Component
class UserHandler {

    private final UserAdmin admin;
    private final RequestBodies bodies;

    UserHandler(UserAdmin admin, RequestBodies bodies) {
        this.admin = admin;
        this.bodies = bodies;
    }

    Mono<ServerResponse> list(ServerRequest request) {
        return Caller.of(request)
                .flatMap(caller -> admin.list(caller).map(AuthViews.UserView::of).collectList())
                .flatMap(users -> ServerResponse.ok().bodyValue(users));
    }

    Mono<ServerResponse> create(ServerRequest request) {
        return Caller.of(request)
                .zipWith(bodies.read(request, AuthRequests.NewUser.class))
                .flatMap(both -> admin.create(both.getT1(), both.getT2()))
                .flatMap(user -> ServerResponse.created(URI.create("/api/v1/users/" + user.id()))
                        .bodyValue(AuthViews.UserView.of(user)));
    }

    Mono<ServerResponse> update(ServerRequest request) {
        UUID id = PathIds.uuid(request, "id", "User");
        return Caller.of(request)
                .zipWith(bodies.read(request, AuthRequests.UserChange.class))
                .flatMap(both -> admin.update(both.getT1(), id, both.getT2()))
                .flatMap(user -> ServerResponse.ok().bodyValue(AuthViews.UserView.of(user)));
    }

    Mono<ServerResponse> delete(ServerRequest request) {
        UUID id = PathIds.uuid(request, "id", "User");
        return Caller.of(request)
                .flatMap(caller -> admin.delete(caller, id))
                .then(ServerResponse.noContent().build());
    }
}
