package io.docqa.auth;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.web.cors.CorsConfiguration;

/** Browser origins other than the service's own that may call the API; none by default. */
@ConfigurationProperties("docqa.cors")
record CorsProperties(@DefaultValue List<String> allowedOrigins, @DefaultValue("30m") Duration maxAge) {

    CorsConfiguration configuration() {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(allowedOrigins);
        cors.setAllowedMethods(List.of("GET", "POST", "PATCH", "DELETE"));
        cors.setAllowedHeaders(List.of("authorization", "content-type", "accept", "x-request-id"));
        cors.setExposedHeaders(List.of("location", "retry-after", "x-request-id"));
        cors.setAllowCredentials(false);
        cors.setMaxAge(maxAge);
        return cors;
    }
}
