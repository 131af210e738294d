package io.docqa.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster of this run's own (initdb and pg_ctl from the server's binaries, found under
 * {@code /usr/lib/postgresql/<version>/bin} or named by {@code DOCQA_PG_BIN}) on a free loopback port, with trust
 * authentication: one that a fault test may stop and restart without disturbing anybody's server. Run as root, the
 * cluster belongs to the {@code postgres} user (PostgreSQL refuses to run as root).
 */
final class PrivatePostgres implements AutoCloseable {

    private final Path bin;
    private final Path home;
    private final int port;
    private final boolean asPostgresUser;

    private PrivatePostgres(Path bin, Path home, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.home = home;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    static PrivatePostgres create() {
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path home = Files.createTempDirectory("docqa-pg-");
            PrivatePostgres postgres = new PrivatePostgres(bin, home, ServiceProcess.freePort(), root);
            if (root) {
                run(List.of("chown", "postgres:postgres", home.toString()));
            }
            postgres.runOwned("initdb", "-D", home.resolve("data").toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                    "--no-sync");
            postgres.start();
            try (var connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"), "postgres", "");
                    var statement = connection.createStatement()) {
                statement.execute("create database docqa");
            }
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::close));
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    void start() {
        runOwned("pg_ctl", "-D", home.resolve("data").toString(), "-l", home.resolve("postgres.log").toString(), "-w",
                "-o", "-p " + port + " -k " + home + " -c listen_addresses=127.0.0.1", "start");
    }

    /** A fast shutdown: every connection is closed by the server. */
    void stop() {
        runOwned("pg_ctl", "-D", home.resolve("data").toString(), "-m", "fast", "-w", "stop");
    }

    String r2dbcUrl() {
        return "r2dbc:postgresql://127.0.0.1:" + port + "/docqa";
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public void close() {
        if (Files.exists(home.resolve("data").resolve("postmaster.pid"))) {
            stop();
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // a temporary folder left behind
        }
    }

    private void runOwned(String program, String... args) {
        List<String> command = new ArrayList<>();
        if (asPostgresUser) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        run(command);
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path binaries() {
        String given = System.getenv("DOCQA_PG_BIN");
        if (given != null && !given.isBlank()) {
            return Path.of(given);
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(version -> version.resolve("bin")).filter(dir -> Files.isExecutable(dir.resolve("pg_ctl")))
                    .max(Comparator.comparing(Path::toString))
                    .orElseThrow(() -> new IllegalStateException("No pg_ctl under /usr/lib/postgresql/*/bin: set DOCQA_PG_BIN"));
        } catch (IOException e) {
            throw new IllegalStateException("No /usr/lib/postgresql: set DOCQA_PG_BIN to PostgreSQL's bin folder", e);
        }
    }
}
