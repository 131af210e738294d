package io.docqa.auth;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import io.docqa.web.ApiException;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The configured providers as Spring Security client registrations, each from its provider's discovery document,
 * fetched without blocking on first use (so the service starts while a provider is away) and kept once it answered.
 * The document must name the configured issuer; ID tokens are then checked against it.
 */
@Component
class SsoClientRegistrations implements ReactiveClientRegistrationRepository {

    private static final Logger log = LoggerFactory.getLogger(SsoClientRegistrations.class);
    private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
    };

    private final SsoProperties properties;
    private final WebClient http;
    private final Map<String, Mono<ClientRegistration>> discovered = new ConcurrentHashMap<>();

    SsoClientRegistrations(SsoProperties properties) {
        this.properties = properties;
        this.http = providerClient(properties);
    }

    /** HTTP to the providers (discovery, token and userinfo endpoints), each answer bounded by the provider timeout. */
    static WebClient providerClient(SsoProperties properties) {
        return WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create().responseTimeout(properties.providerTimeout())))
                .build();
    }

    @Override
    public Mono<ClientRegistration> findByRegistrationId(String id) {
        return properties.provider(id)
                .map(provider -> discovered.computeIfAbsent(id, key -> discover(key, provider)
                        .cache(registration -> Duration.ofDays(36500), error -> Duration.ZERO, () -> Duration.ZERO)))
                .orElse(Mono.empty());
    }

    private Mono<ClientRegistration> discover(String id, SsoProperties.Provider provider) {
        String issuer = provider.issuerUri().toString();
        String location = UriComponentsBuilder.fromUri(provider.issuerUri())
                .path("/.well-known/openid-configuration").build().toUriString();
        return http.get().uri(location)
                .retrieve()
                .bodyToMono(JSON_OBJECT)
                .timeout(properties.providerTimeout())
                .map(metadata -> {
                    if (!issuer.equals(metadata.get("issuer"))) {
                        throw new IllegalStateException("the discovery document names issuer " + metadata.get("issuer"));
                    }
                    ClientRegistration.Builder registration = ClientRegistrations.fromOidcConfiguration(metadata);
                    if (provider.redirectUri() != null && !provider.redirectUri().isBlank()) {
                        registration.redirectUri(provider.redirectUri());
                    }
                    return registration
                            .registrationId(id)
                            .clientName(provider.displayName(id))
                            .clientId(provider.clientId())
                            .clientSecret(provider.clientSecret())
                            .scope(provider.scopes())
                            .build();
                })
                .doOnError(e -> log.warn("single sign-on provider {} ({}) cannot be used: {}", id, issuer, e.toString()))
                .onErrorMap(e -> new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "sso_provider_unavailable",
                        "The identity provider '" + id + "' cannot be reached or is misconfigured; try again later"));
    }
}
