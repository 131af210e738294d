package io.docqa.auth;

import java.net.URI;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import io.docqa.tenant.Caller;
import io.docqa.tenant.Tenants;
import io.docqa.web.ApiException;
import io.docqa.web.ClientAddresses;
import io.docqa.web.RequestBodies;
import reactor.core.publisher.Mono;

@Component
class AuthHandler {

    private final Accounts accounts;
    private final Users users;
    private final Tenants tenants;
    private final SigningKeys signingKeys;
    private final RequestBodies bodies;
    private final ClientAddresses clients;

    AuthHandler(Accounts accounts, Users users, Tenants tenants, SigningKeys signingKeys, RequestBodies bodies,
            ClientAddresses clients) {
        this.accounts = accounts;
        this.users = users;
        this.tenants = tenants;
        this.signingKeys = signingKeys;
        this.bodies = bodies;
        this.clients = clients;
    }

    Mono<ServerResponse> signup(ServerRequest request) {
        return bodies.read(request, AuthRequests.Signup.class)
                .flatMap(accounts::signup)
                .flatMap(tokens -> ServerResponse.created(URI.create("/api/v1/me")).bodyValue(tokens));
    }

    Mono<ServerResponse> login(ServerRequest request) {
        return bodies.read(request, AuthRequests.Login.class)
                .flatMap(body -> accounts.login(body, clients.of(request)))
                .flatMap(tokens -> ServerResponse.ok().bodyValue(tokens));
    }

    Mono<ServerResponse> refresh(ServerRequest request) {
        return bodies.read(request, AuthRequests.RefreshToken.class)
                .flatMap(body -> accounts.refresh(body.refreshToken()))
                .flatMap(tokens -> ServerResponse.ok().bodyValue(tokens));
    }

    Mono<ServerResponse> logout(ServerRequest request) {
        return bodies.read(request, AuthRequests.RefreshToken.class)
                .flatMap(body -> accounts.logout(body.refreshToken()))
                .then(ServerResponse.noContent().build());
    }

    Mono<ServerResponse> me(ServerRequest request) {
        return Caller.of(request)
                .flatMap(caller -> tenants.find(caller.tenantId())
                        .flatMap(tenant -> caller.isUser()
                                ? users.find(caller.tenantId(), caller.userId()).map(user -> new AuthViews.Me(
                                        AuthViews.UserRef.of(user), null, AuthViews.TenantRef.of(tenant), caller.role().permissions()))
                                : Mono.just(new AuthViews.Me(null, new AuthViews.ApiKeyRef(caller.apiKeyId(), caller.role()),
                                        AuthViews.TenantRef.of(tenant), caller.role().permissions()))))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Account")))
                .flatMap(me -> ServerResponse.ok().bodyValue(me));
    }

    Mono<ServerResponse> jwks(ServerRequest request) {
        return signingKeys.ring()
                .flatMap(ring -> ServerResponse.ok()
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(ring.publicKeys().toString()));
    }
}
