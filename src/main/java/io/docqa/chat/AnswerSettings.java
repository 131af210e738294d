package io.docqa.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Service;
import io.docqa.ai.OllamaChat;
import io.docqa.tenant.AuditAction;
import io.docqa.tenant.AuditActor;
import io.docqa.tenant.AuditTarget;
import io.docqa.tenant.AuditTrail;
import io.docqa.tenant.Caller;
import io.docqa.tenant.TenantId;
import io.docqa.web.ApiException;
import reactor.core.publisher.Mono;

/**
 * A tenant's settings over the service's defaults, read from the database for every answer (no cache: a change
 * reaches every instance's next answer; an answer reads them with its question's record, see {@link Conversations}). A
 * stored model the operator no longer allows falls back to the default.
 */
@Service
class AnswerSettings {

    private final TenantSettingsStore store;
    private final OllamaChat model;
    private final SettingsProperties properties;
    private final ChatProperties chat;
    private final AuditTrail audit;

    AnswerSettings(TenantSettingsStore store, OllamaChat model, SettingsProperties properties, ChatProperties chat,
            AuditTrail audit) {
        this.store = store;
        this.model = model;
        this.properties = properties;
        this.chat = chat;
        this.audit = audit;
    }

    Mono<TenantSettings> of(TenantId tenant) {
        return store.find(tenant).map(this::effective).defaultIfEmpty(defaults());
    }

    /** Checks the change (400 per field), applies it and records it; an empty change changes nothing. */
    Mono<TenantSettings> change(Caller caller, SettingsChange change) {
        check(change);
        Map<String, Object> changed = changed(change);
        if (changed.isEmpty()) {
            return of(caller.tenantId());
        }
        return store.apply(caller.tenantId(), change)
                .flatMap(stored -> audit.record(caller.tenantId(), AuditActor.of(caller), AuditAction.SETTINGS_CHANGED,
                        AuditTarget.tenant(caller.tenantId()), changed).thenReturn(effective(stored)));
    }

    List<String> allowedModels() {
        return properties.allowedModels().isEmpty() ? List.of(model.model()) : properties.allowedModels();
    }

    private void check(SettingsChange change) {
        List<ApiException.FieldError> errors = new ArrayList<>();
        if (change.model() != null && !allowedModels().contains(change.model())) {
            errors.add(new ApiException.FieldError("model", "must be one of " + String.join(", ", allowedModels())));
        }
        if (change.temperature() != null && !(change.temperature() >= 0 && change.temperature() <= properties.maxTemperature())) {
            errors.add(new ApiException.FieldError("temperature", "must be from 0 to " + properties.maxTemperature()));
        }
        if (change.instructions() != null && change.instructions().length() > properties.maxInstructionsLength()) {
            errors.add(new ApiException.FieldError("instructions",
                    "must be at most " + properties.maxInstructionsLength() + " characters"));
        }
        if (change.defaultTopK() != null && (change.defaultTopK() < 1 || change.defaultTopK() > chat.maxTopK())) {
            errors.add(new ApiException.FieldError("default_top_k", "must be from 1 to " + chat.maxTopK()));
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
    }

    private static Map<String, Object> changed(SettingsChange change) {
        Map<String, Object> changed = new LinkedHashMap<>();
        if (change.model() != null) {
            changed.put("model", change.model());
        }
        if (change.temperature() != null) {
            changed.put("temperature", change.temperature());
        }
        if (change.instructions() != null) {
            changed.put("instructions", change.instructions().strip());
        }
        if (change.defaultTopK() != null) {
            changed.put("default_top_k", change.defaultTopK());
        }
        return changed;
    }

    private TenantSettings defaults() {
        return new TenantSettings(model.model(), model.temperature(), null, chat.defaultTopK());
    }

    /** The settings that apply, from the stored ones (all null: the defaults). */
    TenantSettings effective(SettingsChange stored) {
        String name = stored.model() != null && allowedModels().contains(stored.model()) ? stored.model() : model.model();
        return new TenantSettings(name, stored.temperature() == null ? model.temperature() : stored.temperature(),
                stored.instructions(), stored.defaultTopK() == null || stored.defaultTopK() > chat.maxTopK()
                        ? chat.defaultTopK() : stored.defaultTopK());
    }
}
