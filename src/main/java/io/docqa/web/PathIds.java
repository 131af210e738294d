package io.docqa.web;

import java.util.UUID;

import org.springframework.web.reactive.function.server.ServerRequest;

/** Reads a UUID path variable; a malformed id names nothing, so it answers 404 like an unknown one. */
public final class PathIds {

    private PathIds() {
    }

    public static UUID uuid(ServerRequest request, String variable, String what) {
        try {
            return UUID.fromString(request.pathVariable(variable));
        }
        catch (IllegalArgumentException e) {
            throw ApiException.notFound(what);
        }
    }
}
