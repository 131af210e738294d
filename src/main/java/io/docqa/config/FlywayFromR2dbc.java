package io.docqa.config;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Flyway needs JDBC; the service talks R2DBC. Unless {@code spring.flyway.url/user/password} are set, derive them
 * from {@code spring.r2dbc.*} so that one set of variables configures the database.
 */
class FlywayFromR2dbc implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> derived = new HashMap<>();
        String r2dbcUrl = environment.getProperty("spring.r2dbc.url");
        if (environment.getProperty("spring.flyway.url") == null && r2dbcUrl != null) {
            derived.put("spring.flyway.url", jdbcUrl(r2dbcUrl));
        }
        copyIfMissing(environment, derived, "spring.r2dbc.username", "spring.flyway.user");
        copyIfMissing(environment, derived, "spring.r2dbc.password", "spring.flyway.password");
        if (!derived.isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource("flywayFromR2dbc", derived));
        }
    }

    static String jdbcUrl(String r2dbcUrl) {
        String url = r2dbcUrl.replaceFirst("^r2dbcs?:(pool:)?", "jdbc:");
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    private static void copyIfMissing(ConfigurableEnvironment environment, Map<String, Object> derived, String from, String to) {
        String value = environment.getProperty(from);
        if (environment.getProperty(to) == null && value != null) {
            derived.put(to, value);
        }
    }
}
