package io.docqa.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * An embedded PostgreSQL (zonky's binaries, unpacked on first use) keeping its data in a folder of ours, with a
 * {@code docqa} database, trusted on loopback. Run as root, zonky starts it in a user namespace ({@code unshare -U}),
 * since PostgreSQL refuses to run as root. Stopped when the JVM exits.
 */
final class LocalPostgres {

    private static final String DATABASE = "docqa";
    private static final String USER = "postgres";

    private final EmbeddedPostgres server;

    private LocalPostgres(EmbeddedPostgres server) {
        this.server = server;
    }

    /** @param port 0 for any free port */
    static LocalPostgres start(Path dataDir, int port) throws IOException, SQLException {
        Files.createDirectories(dataDir);
        EmbeddedPostgres server = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
        try (Connection connection = server.getPostgresDatabase().getConnection()) {
            createDatabaseIfMissing(connection);
        }
        return new LocalPostgres(server);
    }

    /** The service's settings for this database. */
    Map<String, String> properties() {
        return Map.of(
                "spring.r2dbc.url", "r2dbc:postgresql://127.0.0.1:" + server.getPort() + "/" + DATABASE,
                "spring.r2dbc.username", USER,
                "spring.r2dbc.password", "");
    }

    private static void createDatabaseIfMissing(Connection connection) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet found = exists.executeQuery()) {
                if (found.next()) {
                    return;
                }
            }
        }
        try (Statement create = connection.createStatement()) {
            create.execute("create database " + DATABASE);
        }
    }
}
