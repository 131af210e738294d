package io.docqa.support;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The service's structured (JSON) log lines in captured output, and loggers turned to DEBUG for a while. */
public final class LogLines {

    private LogLines() {
    }

    public static List<JsonNode> of(CapturedOutput output) {
        return output.getOut().lines().filter(line -> line.startsWith("{")).map(LogLines::parse)
                .filter(node -> node != null).toList();
    }

    /**
     * Everything written to the console except the log lines of the tests' own HTTP client, which runs in the same
     * process on Reactor Netty's default {@code reactor-http-*} threads (the service's server threads are
     * {@code webflux-http-*}).
     */
    public static String ofTheService(CapturedOutput output) {
        return output.getAll().lines().filter(line -> {
            JsonNode node = line.startsWith("{") ? parse(line) : null;
            return node == null || !node.at("/process/thread/name").asString("").startsWith("reactor-http-");
        }).collect(Collectors.joining("\n"));
    }

    private static JsonNode parse(String line) {
        try {
            return JsonMapper.shared().readTree(line);
        } catch (JacksonException notJson) {
            return null;
        }
    }

    /** Sets the loggers to DEBUG until closed, then back to their configured level. */
    public static Restore debug(String... loggers) {
        LoggingSystem system = LoggingSystem.get(LogLines.class.getClassLoader());
        Arrays.stream(loggers).forEach(logger -> system.setLogLevel(logger, LogLevel.DEBUG));
        return () -> Arrays.stream(loggers).forEach(logger -> system.setLogLevel(logger, null));
    }

    public interface Restore extends AutoCloseable {
        @Override
        void close();
    }
}
