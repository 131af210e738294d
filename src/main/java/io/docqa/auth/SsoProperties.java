package io.docqa.auth;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import io.docqa.tenant.Role;
import io.docqa.tenant.TenantId;

/**
 * Single sign-on with OpenID Connect: the identity providers by id (the id is in the login and redirect paths), how
 * long a started sign-in may take, and how long the page has to collect its tokens.
 */
@ConfigurationProperties("docqa.sso")
record SsoProperties(
        @DefaultValue Map<String, Provider> providers,
        @DefaultValue("10m") Duration requestTtl,
        @DefaultValue("60s") Duration codeTtl,
        @DefaultValue("10s") Duration providerTimeout) {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    SsoProperties {
        providers = new LinkedHashMap<>(providers);
        providers.forEach((id, provider) -> {
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException("docqa.sso.providers: id '" + id + "' must be 1-40 of [a-z0-9-]");
            }
            provider.check("docqa.sso.providers." + id);
        });
    }

    Optional<Provider> provider(String id) {
        return Optional.ofNullable(providers.get(id));
    }

    /**
     * One OpenID Provider. The tenant a new account joins: {@code tenant} for everyone, or by the domain of the
     * verified email through {@code domains} ({@code example.com=<tenant id>}, the more specific entry wins).
     * {@code redirectUri}: where the provider sends its answer, when the address the request came to is not the public
     * one; by default {@code {baseUrl}/login/oauth2/code/{registrationId}}.
     */
    record Provider(
            String name,
            URI issuerUri,
            String clientId,
            String clientSecret,
            @DefaultValue({"openid", "email", "profile"}) List<String> scopes,
            UUID tenant,
            @DefaultValue List<String> domains,
            @DefaultValue("member") Role defaultRole,
            String redirectUri) {

        void check(String prefix) {
            if (issuerUri == null || clientId == null || clientId.isBlank()) {
                throw new IllegalArgumentException(prefix + ": issuer-uri and client-id are required");
            }
            if (!scopes.contains("openid")) {
                throw new IllegalArgumentException(prefix + ".scopes must include openid");
            }
            if (defaultRole == Role.OWNER) {
                throw new IllegalArgumentException(prefix + ".default-role cannot be owner");
            }
            if (tenant == null && domains.isEmpty()) {
                throw new IllegalArgumentException(prefix + ": set tenant or domains (domain=tenant-id)");
            }
            domainTenants();
        }

        String displayName(String id) {
            return name == null || name.isBlank() ? id : name;
        }

        /** The tenant a new account with this verified email joins; empty when the provider maps it to none. */
        Optional<TenantId> tenantFor(String email) {
            String domain = email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
            Map<String, UUID> byDomain = domainTenants();
            for (String candidate = domain; !candidate.isEmpty();
                    candidate = candidate.contains(".") ? candidate.substring(candidate.indexOf('.') + 1) : "") {
                if (byDomain.containsKey(candidate)) {
                    return Optional.of(new TenantId(byDomain.get(candidate)));
                }
            }
            return Optional.ofNullable(tenant).map(TenantId::new);
        }

        private Map<String, UUID> domainTenants() {
            Map<String, UUID> byDomain = new LinkedHashMap<>();
            for (String entry : domains) {
                int eq = entry.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("docqa.sso domains entry '" + entry + "' is not domain=tenant-id");
                }
                byDomain.put(entry.substring(0, eq).trim().toLowerCase(Locale.ROOT), UUID.fromString(entry.substring(eq + 1).trim()));
            }
            return byDomain;
        }

        @Override
        public String toString() {
            return "Provider[name=" + name + ", issuerUri=" + issuerUri + ", clientId=" + clientId + ", clientSecret="
                    + Secrets.HIDDEN + ", tenant=" + tenant + ", domains=" + domains + ", defaultRole=" + defaultRole + "]";
        }
    }
}
