package io.docqa.chat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import io.docqa.web.ApiException;
import io.docqa.web.ErrorShape;

/**
 * OpenAI's error body, {@code {"error": {message, type, param, code}}}, for every error under {@code /v1}: {@code type}
 * by status as OpenAI's clients expect it, {@code param} the first field at fault, {@code code} docqa's stable code.
 */
@Component
class OpenAiErrors implements ErrorShape {

    @Override
    public boolean covers(String path) {
        return path.equals("/v1") || path.startsWith("/v1/");
    }

    @Override
    public Map<String, Object> body(ApiException problem) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message(problem));
        error.put("type", type(problem));
        error.put("param", problem.errors().isEmpty() ? null : problem.errors().get(0).field());
        error.put("code", problem.code());
        return Map.of("error", error);
    }

    private static String message(ApiException problem) {
        if (problem.errors().isEmpty()) {
            return problem.getMessage();
        }
        return problem.getMessage() + ": " + problem.errors().stream()
                .map(error -> error.field() + " " + error.message()).collect(Collectors.joining("; "));
    }

    private static String type(ApiException problem) {
        HttpStatus status = problem.status();
        if (status.is5xxServerError()) {
            return "server_error";
        }
        return switch (status) {
            case UNAUTHORIZED -> "authentication_error";
            case FORBIDDEN -> "permission_error";
            case TOO_MANY_REQUESTS -> "quota_exceeded".equals(problem.code()) ? "insufficient_quota" : "rate_limit_error";
            default -> "invalid_request_error";
        };
    }
}
