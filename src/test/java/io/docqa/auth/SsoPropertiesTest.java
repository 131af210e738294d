package io.docqa.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import io.docqa.tenant.Role;
import io.docqa.tenant.TenantId;

class SsoPropertiesTest {

    private static final UUID ACME = UUID.randomUUID();
    private static final UUID LABS = UUID.randomUUID();
    private static final UUID EVERYONE = UUID.randomUUID();

    @Test
    void theMostSpecificDomainWinsThenTheFixedTenant() {
        SsoProperties.Provider provider = provider(EVERYONE, List.of("acme.com=" + ACME, "labs.acme.com = " + LABS), Role.MEMBER);
        assertThat(provider.tenantFor("ada@acme.com")).contains(new TenantId(ACME));
        assertThat(provider.tenantFor("ada@ACME.com")).contains(new TenantId(ACME));
        assertThat(provider.tenantFor("bob@eu.acme.com")).contains(new TenantId(ACME));
        assertThat(provider.tenantFor("cy@labs.acme.com")).contains(new TenantId(LABS));
        assertThat(provider.tenantFor("eve@notacme.com")).contains(new TenantId(EVERYONE));
    }

    @Test
    void withoutAFixedTenantAnUnmappedDomainMapsToNone() {
        SsoProperties.Provider provider = provider(null, List.of("acme.com=" + ACME), Role.VIEWER);
        assertThat(provider.tenantFor("eve@acme.com.evil.test")).isEmpty();
        assertThat(provider.tenantFor("eve@evilacme.com")).isEmpty();
    }

    @Test
    void aProviderThatCannotWorkStopsTheStart() {
        assertThatThrownBy(() -> properties("Bad_Id", provider(EVERYONE, List.of(), Role.MEMBER)))
                .hasMessageContaining("Bad_Id");
        assertThatThrownBy(() -> properties("acme", provider(null, List.of(), Role.MEMBER)))
                .hasMessageContaining("set tenant or domains");
        assertThatThrownBy(() -> properties("acme", provider(EVERYONE, List.of(), Role.OWNER)))
                .hasMessageContaining("default-role cannot be owner");
        assertThatThrownBy(() -> properties("acme", provider(null, List.of("acme.com"), Role.MEMBER)))
                .hasMessageContaining("domain=tenant-id");
    }

    @Test
    void theClientSecretStaysOutOfLogs() {
        assertThat(provider(EVERYONE, List.of(), Role.MEMBER).toString()).doesNotContain("s3cret").contains(Secrets.HIDDEN);
    }

    private static SsoProperties properties(String id, SsoProperties.Provider provider) {
        return new SsoProperties(Map.of(id, provider), Duration.ofMinutes(10), Duration.ofSeconds(60), Duration.ofSeconds(10));
    }

    private static SsoProperties.Provider provider(UUID tenant, List<String> domains, Role role) {
        return new SsoProperties.Provider("Acme", URI.create("https://sso.acme.com/realms/acme"), "docqa", "s3cret",
                List.of("openid", "email"), tenant, domains, role, null);
    }
}
