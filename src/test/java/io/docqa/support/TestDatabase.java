package io.docqa.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A fresh PostgreSQL database for this test run: in a Testcontainers PostgreSQL where a Docker engine exists,
 * otherwise on the server named by {@code DOCQA_TEST_POSTGRES} (host:port, default 127.0.0.1:5432, user
 * {@code DOCQA_TEST_POSTGRES_USER}, default postgres), dropped when the JVM exits.
 */
public final class TestDatabase {

    private static TestDatabase instance;

    private final String host;
    private final String database;
    private final String user;
    private final String password;

    private TestDatabase(String host, String database, String user, String password) {
        this.host = host;
        this.database = database;
        this.user = user;
        this.password = password;
    }

    public static synchronized TestDatabase get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    /**
     * The database {@code name} on the server named by {@code DOCQA_TEST_POSTGRES} (created when missing, never dropped):
     * for a benchmark that keeps what it ingested between runs. {@code fresh}: dropped and created again first.
     */
    public static TestDatabase kept(String name, boolean fresh) {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Not a plain database name: " + name);
        }
        String host = orDefault(setting("DOCQA_TEST_POSTGRES"), "127.0.0.1:5432");
        String user = orDefault(setting("DOCQA_TEST_POSTGRES_USER"), "postgres");
        String password = orDefault(setting("DOCQA_TEST_POSTGRES_PASSWORD"), "");
        if (fresh) {
            execute(host, user, password, "drop database if exists " + name + " with (force)");
        }
        try {
            execute(host, user, password, "create database " + name);
        } catch (IllegalStateException e) {
            if (fresh) {
                throw e;
            } // else it exists: kept from an earlier run
        }
        return new TestDatabase(host, name, user, password);
    }

    private static TestDatabase start() {
        String configured = setting("DOCQA_TEST_POSTGRES");
        if (configured == null && dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            return new TestDatabase(container.getHost() + ":" + container.getFirstMappedPort(), container.getDatabaseName(),
                    container.getUsername(), container.getPassword());
        }
        String host = configured == null ? "127.0.0.1:5432" : configured;
        String user = orDefault(setting("DOCQA_TEST_POSTGRES_USER"), "postgres");
        String password = orDefault(setting("DOCQA_TEST_POSTGRES_PASSWORD"), "");
        String database = "docqa_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(host, user, password, "create database " + database);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> execute(host, user, password,
                "drop database if exists " + database + " with (force)")));
        return new TestDatabase(host, database, user, password);
    }

    public String r2dbcUrl() {
        return "r2dbc:postgresql://" + host + "/" + database;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + "/" + database;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** Drops this database (one of {@link #kept}, when a test is done with it). */
    public void drop() {
        execute(host, user, password, "drop database if exists " + database + " with (force)");
    }

    private static void execute(String host, String user, String password, String sql) {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + host + "/postgres", user, password);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + host + " is not usable for tests: " + e.getMessage(), e);
        }
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        }
        catch (RuntimeException e) {
            return false;
        }
    }

    static String setting(String name) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? null : value;
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
